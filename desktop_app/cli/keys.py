"""`plugin-monitor keys create|list|revoke` (and scripts/generate_api_key.py)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from desktop_app.cli.offline import open_data_folder
from desktop_app.models.timestamps import local_minute
from desktop_app.services.auth.keys import ApiKeyStore


def run_keys(args: argparse.Namespace, data_dir: Path) -> int:
    _settings, engine = open_data_folder(data_dir)
    store = ApiKeyStore(engine)
    try:
        if args.keys_command == "create":
            name = args.name or time.strftime("key created %Y-%m-%d %H:%M:%S")
            key, secret = store.create(name=name, role=args.role)
            print(
                f"Created API key {key.id} {key.name!r} with the {key.role.label} role. "
                "This is the only time it is shown; keep it safe:",
                file=sys.stderr,
            )
            print(secret)
        elif args.keys_command == "list":
            keys = store.list()
            if not keys:
                print("no API keys yet; create one with: plugin-monitor keys create --role viewer")
            else:
                print(f"{'id':>4}  role      state    {'created':<16}  {'last used':<16}  name")
            for key in keys:
                state = "revoked" if key.revoked else "active"
                made = local_minute(key.created_at)
                used = local_minute(key.last_used_at) if key.last_used_at else "never"
                print(
                    f"{key.id:>4}  {key.role.label:<8}  {state:<7}  {made}  {used:<16}  {key.name}"
                )
        elif args.keys_command == "revoke":
            key = store.revoke(args.key_id)
            print(f"API key {key.id} {key.name!r} is revoked")
    finally:
        engine.dispose()
    return 0
