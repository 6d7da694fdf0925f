"""The `plugin-monitor` command line.

Operator errors (a bad folder, settings, database, a second instance) print
one line naming the file and the problem and exit with code 2 — never a
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop_app import __version__
from desktop_app.cli.autostart import add_autostart_command
from desktop_app.cli.forward import add_forward_command, add_forward_options
from desktop_app.cli.plugins import add_check_command, add_plugins_command
from desktop_app.cli.webhooks import add_webhooks_command
from desktop_app.config import SPEC_BY_KEY
from desktop_app.errors import OperatorError
from desktop_app.memory import limit_malloc_arenas
from desktop_app.models.auth import MAX_KEY_DAYS, Role
from desktop_app.paths import ENV_DATABASE_URL, ENV_HOME, ENV_TOKEN, resolve_data_dir

EXIT_USAGE = 2


def _interval(text: str) -> float:
    spec = SPEC_BY_KEY["collection.interval"]
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not spec.rule.check_quietly(value):
        raise argparse.ArgumentTypeError(f"{text} is not allowed: {spec.allowed}")
    return value


def _days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if not 0 < value <= MAX_KEY_DAYS:
        raise argparse.ArgumentTypeError(f"{text} is not allowed: from 0 to {MAX_KEY_DAYS} days")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plugin-monitor",
        description="Monitor the plugins of your application: live metrics, alerts, history.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"data folder (default: ${ENV_HOME}, else the platform's user data folder)",
    )
    common.add_argument(
        "--database-url",
        metavar="URL",
        help="keep the history in PostgreSQL for this run: postgresql://user@host:5432/db "
        f"(as ${ENV_DATABASE_URL}; outranks storage.database_url; the password belongs in "
        "~/.pgpass or PGPASSWORD, not here)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="run the monitor in the foreground without a window (until Ctrl+C or SIGTERM)",
    )
    serve.add_argument(
        "--interval",
        type=_interval,
        metavar="SECONDS",
        help="collect every SECONDS (1-3600) instead of the setting, for this run",
    )
    serve.add_argument(
        "--restore-latest",
        action="store_true",
        help="when the database is missing or damaged, restore the newest backup and start",
    )
    add_api_options(serve)
    add_forward_options(serve)

    gui = commands.add_parser(
        "gui", parents=[common], help="open the desktop console (the default command)"
    )
    gui.add_argument(
        "--interval",
        type=_interval,
        metavar="SECONDS",
        help="collect every SECONDS instead of the setting, for this run",
    )
    add_api_options(gui)
    gui.add_argument(
        "--connect",
        metavar="URL",
        help="open the console on the monitor at URL (e.g. https://web01:5000) instead of "
        "this machine's; its key is the one kept for URL in the secret store, else asked for",
    )
    gui.add_argument(
        "--key-file",
        type=Path,
        metavar="FILE",
        help="with --connect: read that monitor's API key from FILE (never on the command line)",
    )

    self_check = commands.add_parser(
        "self-check",
        parents=[common],
        help="is this machine ready: data folder, database, ports, Qt, tray, secret store, "
        "TLS files, backups (exit 1 when an item needs fixing)",
    )
    self_check.add_argument("--qt-probe", action="store_true", help=argparse.SUPPRESS)

    add_autostart_command(commands, common)

    keys = commands.add_parser("keys", help="create, list and revoke API keys")
    key_commands = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    create = key_commands.add_parser(
        "create", parents=[common], help="create a key and print it once (only its hash is kept)"
    )
    create.add_argument(
        "--role",
        type=_role,
        default=Role.OPERATOR,
        help="admin, operator or viewer (default operator)",
    )
    create.add_argument("--name", help="who or what uses the key (default: a dated name)")
    create.add_argument(
        "--expires-in",
        type=_days,
        metavar="DAYS",
        help="the key stops working after DAYS days (default: never)",
    )
    create.add_argument(
        "--ingest",
        action="store_true",
        help="the key may only push metrics and register plugins, with the higher ingest "
        "rate allowance (security.ingest_rate_limit_per_minute); implies --role operator",
    )
    create.add_argument(
        "--plugins",
        metavar="PATTERN",
        default="",
        help="the key may only push to and register plugins whose id matches this glob "
        "(e.g. 'web*')",
    )
    key_commands.add_parser("list", parents=[common], help="list keys (never their secrets)")
    revoke = key_commands.add_parser("revoke", parents=[common], help="revoke a key by its id")
    revoke.add_argument("key_id", type=int, metavar="ID")

    add_settings_command(commands, common)

    alerts = commands.add_parser("alerts", parents=[common], help="show or follow alerts")
    alerts.add_argument("--follow", action="store_true", help="print alerts as they arrive")
    alerts.add_argument("--plugin", action="append", default=[], help="only this plugin (repeat)")
    alerts.add_argument("--level", default="", help="only these levels, e.g. error,critical")
    alerts.add_argument("--url", help="alert stream URL (default: from the settings)")
    alerts.add_argument(
        "--token", help="API key (shows in ps; prefer --token-file or $" + ENV_TOKEN + ")"
    )
    alerts.add_argument(
        "--token-file", metavar="PATH", help=f"read the API key from PATH (or set ${ENV_TOKEN})"
    )
    alerts.add_argument(
        "--cafile",
        metavar="PEM",
        help="trust this certificate or CA for wss (default: the data folder's api.ssl_cert)",
    )
    add_tls_command(commands, common)
    add_silence_command(commands, common)
    add_webhooks_command(commands, common)
    add_plugins_command(commands, common)
    add_check_command(commands, common)
    add_forward_command(commands, common)
    return parser


def add_tls_command(commands: Any, common: argparse.ArgumentParser) -> None:
    """`tls set-passphrase` and `tls forget-passphrase`."""
    tls = commands.add_parser("tls", help="keep the passphrase of the TLS private key")
    actions = tls.add_subparsers(dest="tls_command", metavar="ACTION", required=True)
    actions.add_parser(
        "set-passphrase",
        parents=[common],
        help="store the passphrase of api.ssl_key in the secret store (asked, or read from stdin)",
    )
    actions.add_parser(
        "forget-passphrase", parents=[common], help="remove it from the secret store"
    )


def add_settings_command(commands: Any, common: argparse.ArgumentParser) -> None:
    """`settings get [KEY]` and `settings set KEY VALUE`."""
    backup = commands.add_parser(
        "backup",
        parents=[common],
        help="back up the database and config now (online: a monitor may be running)",
    )
    backup.add_argument(
        "action",
        nargs="?",
        choices=["export-key", "set-passphrase"],
        help="export-key: print the backup key once, to keep off this machine; "
        "set-passphrase: seal backups with a passphrase instead (asked, or one line of stdin)",
    )
    backup.add_argument("--list", action="store_true", help="list the backups instead")
    backup.add_argument(
        "--quiet", action="store_true", help="print nothing when it works (for cron)"
    )
    backup.add_argument(
        "--verify-restore",
        action="store_true",
        help="the monthly restore test: restore the newest backup into a scratch folder, open "
        "it with a monitor and compare its row counts with its manifest",
    )
    restore = commands.add_parser(
        "restore",
        parents=[common],
        help="replace the database with a backup's (stop the monitor first); the replaced one "
        "is kept beside it",
    )
    restore.add_argument(
        "backup", metavar="NAME|PATH", help="a backup's file name in the backup folder, or a path"
    )
    restore.add_argument(
        "--key-file", metavar="FILE", help="an encrypted backup's key (as export-key printed it)"
    )
    restore.add_argument(
        "--passphrase-file", metavar="FILE", help="an encrypted backup's passphrase"
    )
    restore.add_argument(
        "--with-config",
        action="store_true",
        help="restore the config folder too (the one it replaces is kept beside it)",
    )
    settings = commands.add_parser("settings", help="show or change settings by dotted key")
    actions = settings.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    get = actions.add_parser(
        "get", parents=[common], help="print settings (all, a section, or one KEY)"
    )
    get.add_argument(
        "key", nargs="?", metavar="KEY", help="e.g. collection.interval, or a section: thresholds"
    )
    put = actions.add_parser("set", parents=[common], help="change one setting")
    put.add_argument("key", metavar="KEY", help="e.g. collection.interval")
    put.add_argument("value", metavar="VALUE", help='e.g. 10, true, "Asia/Seoul"')


def add_silence_command(commands: Any, common: argparse.ArgumentParser) -> None:
    """`silence add|list|remove`."""
    silence = commands.add_parser("silence", help="silence alerts for a while (maintenance)")
    actions = silence.add_subparsers(dest="silence_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="silence matching alerts")
    add.add_argument("--plugin", help="only this plugin (default: all)")
    add.add_argument("--rule", help="only this rule, e.g. cpu (default: all)")
    add.add_argument("--level", help="this level and below (default: all levels)")
    add.add_argument("--duration", help="for how long: 30m, 2h, 1d")
    add.add_argument("--until", help="until this local time: 2026-12-01T09:00")
    add.add_argument("--comment", required=True, help="why (shown with the silenced alerts)")
    actions.add_parser("list", parents=[common], help="silences on now or to come")
    remove = actions.add_parser("remove", parents=[common], help="end a silence now")
    remove.add_argument("silence_id", type=int, metavar="ID")


def _role(text: str) -> Role:
    try:
        return Role.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return int(text)


def add_api_options(parser: argparse.ArgumentParser) -> None:
    """Overrides of the [api] settings for one run."""
    parser.add_argument("--host", help="address the API binds to (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, help="HTTP API port (default 5000; 0: any free)")
    parser.add_argument(
        "--ws-port", type=_port, help="WebSocket stream port (default 8765; 0: any free)"
    )
    parser.add_argument(
        "--ssl-cert", metavar="PEM", help="serve https and wss with this certificate"
    )
    parser.add_argument("--ssl-key", metavar="PEM", help="the certificate's private key")
    parser.add_argument(
        "--ssl-keyfile-password-file",
        metavar="PATH",
        dest="ssl_key_password_file",
        help="file holding the private key's passphrase",
    )
    parser.add_argument("--no-api", action="store_true", help="run without the API")
    parser.add_argument(
        "--insecure-bind",
        action="store_true",
        help="allow --host other than loopback without TLS (API keys in clear text)",
    )


def api_overrides(args: argparse.Namespace) -> dict[str, object]:
    overrides: dict[str, object] = {
        name: getattr(args, name)
        for name in ("host", "port", "ws_port", "ssl_cert", "ssl_key", "ssl_key_password_file")
        if getattr(args, name) is not None
    }
    if bool(overrides.get("ssl_cert")) != bool(overrides.get("ssl_key")):
        raise OperatorError("--ssl-cert and --ssl-key go together")
    if args.insecure_bind:
        overrides["insecure_bind"] = True
    for option in ("ssl_cert", "ssl_key"):
        path = overrides.get(option)
        if isinstance(path, str) and not Path(path).is_file():
            raise OperatorError(f"{path}: no such file (given as --{option.replace('_', '-')})")
    if args.no_api:
        overrides["enabled"] = False
    return overrides


def main(argv: Sequence[str] | None = None) -> int:
    limit_malloc_arenas()
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    if not words or (words[0].startswith("-") and words[0] not in ("-h", "--help", "--version")):
        words = ["gui", *words]  # the console is the default command
    args = parser.parse_args(words)
    if getattr(args, "database_url", None):
        os.environ[ENV_DATABASE_URL] = args.database_url  # for this process and its children
    try:
        if args.command == "keys":
            from desktop_app.cli.keys import run_keys

            return run_keys(args, resolve_data_dir(args.data_dir))
        if args.command == "settings":
            from desktop_app.cli.settings import run_settings

            return run_settings(args, resolve_data_dir(args.data_dir))
        if args.command == "silence":
            from desktop_app.cli.silence import run_silence

            return run_silence(args, resolve_data_dir(args.data_dir))
        if args.command == "backup":
            from desktop_app.cli.backup import run_backup

            return run_backup(args, resolve_data_dir(args.data_dir))
        if args.command == "restore":
            from desktop_app.cli.backup import run_restore

            return run_restore(args, resolve_data_dir(args.data_dir))
        if args.command == "check":
            from desktop_app.cli.plugins import run_check

            return run_check(resolve_data_dir(args.data_dir))
        if args.command == "plugins":
            from desktop_app.cli.plugins import run_plugins

            return run_plugins(args, resolve_data_dir(args.data_dir))
        if args.command == "webhooks":
            from desktop_app.cli.webhooks import run_webhooks

            return run_webhooks(args, resolve_data_dir(args.data_dir))
        if args.command == "tls":
            from desktop_app.cli.tls import run_tls

            return run_tls(args, resolve_data_dir(args.data_dir))
        if args.command == "forward":
            from desktop_app.cli.forward import run_forward

            return run_forward(args, resolve_data_dir(args.data_dir))
        if args.command == "alerts":
            from desktop_app.cli.alerts import run_alerts

            return run_alerts(args, resolve_data_dir(args.data_dir))
        if args.command == "self-check":
            if args.qt_probe:
                from desktop_app.views.preflight import probe_qt

                return probe_qt()
            from desktop_app.cli.self_check import run_self_check

            return run_self_check(resolve_data_dir(args.data_dir))
        if args.command == "autostart":
            from desktop_app.cli.autostart import run_autostart

            return run_autostart(args, resolve_data_dir(args.data_dir))
        if args.command == "gui":
            from desktop_app.cli.secret_input import read_secret_file
            from desktop_app.views.app import run_gui

            return run_gui(
                resolve_data_dir(args.data_dir),
                interval=args.interval,
                api=api_overrides(args),
                connect=args.connect,
                connect_key=read_secret_file(args.key_file, "the monitor's API key")
                if args.key_file
                else None,
            )
        if args.command == "serve":
            from desktop_app.cli.serve import serve

            return serve(
                resolve_data_dir(args.data_dir),
                interval=args.interval,
                api=api_overrides(args),
                restore_latest=args.restore_latest,
                forward=(args.forward_to, args.forward_key_file) if args.forward_to else None,
            )
    except OperatorError as error:
        print(f"plugin-monitor: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 0
    parser.error(f"unknown command {args.command!r}")
