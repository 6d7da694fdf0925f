"""`plugin-monitor alerts [--follow]`: open alerts now, or a live stream."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from desktop_app.cli.follow import FollowError, follow
from desktop_app.cli.offline import open_data_folder
from desktop_app.errors import OperatorError
from desktop_app.models.levels import AlertLevel
from desktop_app.paths import ENV_TOKEN
from desktop_app.services.storage.alerts import AlertFilter, AlertQueries


def _token(args: argparse.Namespace) -> str | None:
    """The API key: --token-file, else $PLUGIN_MONITOR_TOKEN, else --token (which
    every user of this machine can read in the process list, so it is warned of)."""
    if args.token_file:
        try:
            return Path(args.token_file).read_text(encoding="utf-8").strip() or None
        except OSError as error:
            raise OperatorError(f"{args.token_file}: cannot be read: {error.strerror}") from None
    if args.token:
        print(
            "plugin-monitor: warning: --token shows the key to every user of this machine "
            f"(ps); use --token-file PATH or ${ENV_TOKEN} instead",
            file=sys.stderr,
        )
        return str(args.token)
    return os.environ.get(ENV_TOKEN)


def run_alerts(args: argparse.Namespace, data_dir: Path) -> int:
    levels = [part.strip() for part in args.level.split(",") if part.strip()]
    try:
        parsed = frozenset(AlertLevel.parse(level) for level in levels)
    except ValueError as error:
        raise OperatorError(str(error)) from None
    settings, engine = open_data_folder(data_dir)
    if not args.follow:
        try:
            filters = AlertFilter(open_only=True, levels=parsed)
            alerts = AlertQueries(engine).page(filters, limit=1000)
        finally:
            engine.dispose()
        alerts = [a for a in alerts if not args.plugin or a.plugin_key in args.plugin]
        if not alerts:
            print("no open alerts")
        for alert in alerts:
            print(
                f"#{alert.id} {alert.level.name} {alert.status.value} "
                f"{alert.plugin_key}/{alert.rule}: {alert.message}"
            )
        return 0
    engine.dispose()
    scheme = "wss" if settings.api.ssl_cert else "ws"
    url = args.url or f"{scheme}://{settings.api.host}:{settings.api.ws_port}/"
    token = _token(args)
    try:
        return follow(url, token=token, plugins=args.plugin, levels=levels)
    except FollowError as error:
        raise OperatorError(str(error)) from None
