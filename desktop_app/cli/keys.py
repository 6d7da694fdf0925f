"""`plugin-monitor keys create|list|revoke` (and scripts/generate_api_key.py)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from desktop_app.cli.actor import cli_actor
from desktop_app.cli.offline import open_data_folder
from desktop_app.models.auth import ApiKey, KeyScope, Role
from desktop_app.models.timestamps import local_minute
from desktop_app.services.auth.keys import ApiKeyStore


def run_keys(args: argparse.Namespace, data_dir: Path) -> int:
    _settings, engine = open_data_folder(data_dir)
    store = ApiKeyStore(engine)
    try:
        if args.keys_command == "create":
            _create(store, args)
        elif args.keys_command == "list":
            keys = store.list()
            if not keys:
                print("no API keys yet; create one with: plugin-monitor keys create --role viewer")
            else:
                print(
                    f"{'id':>4}  role      state    {'created':<16}  {'expires':<16}  "
                    f"{'last used':<16}  {'from':<15}  {'scope':<12}  name"
                )
            now = time.time()
            for key in keys:
                print(_row(key, now))
        elif args.keys_command == "revoke":
            key = store.revoke(args.key_id, actor=cli_actor())
            print(f"API key {key.id} {key.name!r} is revoked")
    finally:
        engine.dispose()
    return 0


def _create(store: ApiKeyStore, args: argparse.Namespace) -> None:
    name = args.name or time.strftime("key created %Y-%m-%d %H:%M:%S")
    role = Role.OPERATOR if args.ingest else args.role
    scope = KeyScope.lasting(
        args.expires_in, now=time.time(), ingest_only=args.ingest, plugins=args.plugins
    )
    expires = scope.expires_at
    key, secret = store.create(name=name, role=role, actor=cli_actor(), scope=scope)
    limits = [] if scope == KeyScope() else [f"scope {scope.describe()}"]
    if expires is not None:
        limits.append(f"expires {local_minute(expires)}")
    print(
        f"Created API key {key.id} {key.name!r} with the {key.role.label} role"
        f"{' (' + '; '.join(limits) + ')' if limits else ''}. "
        "This is the only time it is shown; keep it safe:",
        file=sys.stderr,
    )
    print(secret)


def _row(key: ApiKey, now: float) -> str:
    state = "revoked" if key.revoked else "expired" if key.expired(now) else "active"
    made = local_minute(key.created_at)
    expires = local_minute(key.scope.expires_at) if key.scope.expires_at else "never"
    used = local_minute(key.last_used_at) if key.last_used_at else "never"
    where = key.last_used_from or "-"
    return (
        f"{key.id:>4}  {key.role.label:<8}  {state:<7}  {made}  {expires:<16}  {used:<16}  "
        f"{where:<15}  {key.scope.describe():<12}  {key.name}"
    )
