"""`plugin-monitor alerts [--follow]`: open alerts now, or a live stream."""

from __future__ import annotations

import argparse
import os
import ssl
import sys
from pathlib import Path
from urllib.parse import urlsplit

from desktop_app.cli.follow import FollowError, follow
from desktop_app.cli.offline import open_data_folder
from desktop_app.client.local import own_host
from desktop_app.config import ApiSettings
from desktop_app.errors import OperatorError
from desktop_app.loopback import is_loopback
from desktop_app.models.alerts import AlertFilter
from desktop_app.models.levels import AlertLevel
from desktop_app.paths import ENV_TOKEN
from desktop_app.services.auth.local import local_credential
from desktop_app.services.secrets import SecretStore
from desktop_app.services.storage.alerts import AlertQueries


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
    url = args.url or own_stream_url(settings.api)
    ours = is_own_monitor(url, settings.api)
    # This folder's monitor takes its local credential: a key sent nowhere else.
    token = _token(args) or (local_credential(SecretStore(data_dir)) if ours else None)
    cafile = args.cafile or (settings.api.ssl_cert if ours else "")
    try:
        return follow(
            url, token=token, plugins=args.plugin, levels=levels, tls=tls_context(url, cafile)
        )
    except FollowError as error:
        raise OperatorError(str(error)) from None


def own_stream_url(api: ApiSettings) -> str:
    return f"{'wss' if api.ssl_cert else 'ws'}://{own_host(api)}:{api.ws_port}/"


def is_own_monitor(url: str, api: ApiSettings) -> bool:
    parts = urlsplit(url)
    return is_loopback(parts.hostname or "") and parts.port == api.ws_port


def tls_context(url: str, cafile: str) -> ssl.SSLContext | None:
    """For wss: the system's authorities, plus `cafile` (a private CA or the
    monitor's own self-signed certificate)."""
    if not url.startswith("wss://"):
        return None
    context = ssl.create_default_context()
    if cafile:
        try:
            context.load_verify_locations(cafile)
        except FileNotFoundError:
            raise OperatorError(f"{cafile}: no such file (given as --cafile)") from None
        except (OSError, ssl.SSLError) as error:
            raise OperatorError(f"{cafile}: not a PEM certificate ({error})") from None
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN  # a leaf may be its own anchor
    return context
