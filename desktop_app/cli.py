"""The `plugin-monitor` command line.

Operator errors (a bad folder, settings, database, a second instance) print
one line naming the file and the problem and exit with code 2 — never a
traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from desktop_app import __version__
from desktop_app.errors import OperatorError
from desktop_app.paths import ENV_HOME, resolve_data_dir

EXIT_USAGE = 2


def _interval(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 1 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"{text} is not allowed: a number from 1 to 3600")
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["serve", *(argv if argv is not None else sys.argv[1:])])
    try:
        if args.command == "serve":
            from desktop_app.headless import serve

            return serve(resolve_data_dir(args.data_dir), interval=args.interval)
    except OperatorError as error:
        print(f"plugin-monitor: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 0
    parser.error(f"unknown command {args.command!r}")
