"""`plugin-monitor alerts [--follow]`: open alerts now, or a live stream."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from desktop_app.cli.follow import FollowError, follow
from desktop_app.cli.offline import open_data_folder
from desktop_app.errors import OperatorError
from desktop_app.models.levels import AlertLevel
from desktop_app.paths import ENV_TOKEN
from desktop_app.services.storage.alerts import AlertFilter, AlertQueries


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
    token = args.token or os.environ.get(ENV_TOKEN)
    try:
        return follow(url, token=token, plugins=args.plugin, levels=levels)
    except FollowError as error:
        raise OperatorError(str(error)) from None
