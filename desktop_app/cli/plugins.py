"""`plugin-monitor plugins list|start|stop|restart|enable|disable|stop-all|logs`:
plugin control (R16) from the command line, through the running monitor."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from desktop_app.errors import OperatorError
from desktop_app.models.supervision import CONTROL_ACTIONS
from desktop_app.paths import DataPaths
from desktop_app.services.plugins.manifest import PLUGIN_KEY_PATTERN, PLUGIN_KEY_RULE

FOLLOW_SECONDS = 0.25


def add_plugins_command(commands: Any, common: argparse.ArgumentParser) -> None:
    plugins = commands.add_parser("plugins", help="list, start, stop and read plugins' logs")
    actions = plugins.add_subparsers(dest="plugins_command", metavar="ACTION", required=True)
    actions.add_parser("list", parents=[common], help="every plugin and its state")
    for action in CONTROL_ACTIONS:
        one = actions.add_parser(action, parents=[common], help=f"{action} one plugin")
        one.add_argument("plugin_id", metavar="NAME")
    actions.add_parser("stop-all", parents=[common], help="stop every running plugin")
    logs = actions.add_parser("logs", parents=[common], help="print a plugin's log")
    logs.add_argument("plugin_id", metavar="NAME")
    logs.add_argument("-f", "--follow", action="store_true", help="keep printing new lines")
    logs.add_argument("-n", "--lines", type=int, default=50, help="last N lines (default 50)")
    install = actions.add_parser(
        "install", parents=[common], help="install a plugin from a folder or a .tar.gz"
    )
    install.add_argument("path", metavar="PATH")


def line(state: dict[str, Any]) -> str:
    facts = [f"pid {state['pid']}"] if state.get("pid") else []
    if state.get("restarts"):
        facts.append(f"restarts {state['restarts']}")
    if state.get("exit_code") is not None:
        facts.append(f"last exit {state['exit_code']}")
    shown = f" ({', '.join(facts)})" if facts else ""
    detail = f": {state['detail']}" if state.get("detail") else ""
    return f"{state['plugin_id']}: {state['state'].replace('_', ' ')}{shown}{detail}"


def run_plugins(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop_app.cli.monitor_client import MonitorClient  # httpx, storage: off the parser

    command = args.plugins_command
    if command == "logs":
        if not PLUGIN_KEY_PATTERN.match(args.plugin_id):
            raise OperatorError(f"{args.plugin_id!r} is not a plugin id: {PLUGIN_KEY_RULE}")
        return show_log(DataPaths(data_dir).plugin_logs_dir / f"{args.plugin_id}.log", args)
    with MonitorClient(data_dir) as client:
        if command == "install":
            source = str(Path(args.path).resolve())
            print(line(client.call("POST", "/api/plugins/install", {"path": source})))
        elif command == "list":
            for state in client.call("GET", "/api/plugins"):
                print(line(state))
        elif command == "stop-all":
            answer = client.call("POST", "/api/plugins/stop-all")
            for state in answer["stopped"]:
                print(line(state))
            print(answer["detail"])
        else:
            print(line(client.call("POST", f"/api/plugins/{command}/{args.plugin_id}")))
    return 0


def show_log(path: Path, args: argparse.Namespace) -> int:
    try:
        with path.open("rb") as log:
            for text in log.readlines()[-max(0, args.lines) :] if args.lines else []:
                sys.stdout.write(text.decode("utf-8", "replace"))
            sys.stdout.flush()
            if args.follow:
                follow(path, log)
    except FileNotFoundError:
        raise OperatorError(f"{path}: no log yet (the plugin has not been started)") from None
    return 0


def follow(path: Path, log: Any) -> None:
    """Print lines as they come; a log emptied in place (copytruncate) is read
    again from its start. Ends with Ctrl+C."""
    while True:
        chunk = log.read()
        if chunk:
            sys.stdout.write(chunk.decode("utf-8", "replace"))
            sys.stdout.flush()
        elif path.stat().st_size < log.tell():
            log.seek(0)
        else:
            time.sleep(FOLLOW_SECONDS)


def add_check_command(commands: Any, common: argparse.ArgumentParser) -> None:
    commands.add_parser(
        "check",
        parents=[common],
        help="the daily operations checks: exit 0 all well, 1 needs attention, 2 cannot check",
    )


def run_check(data_dir: Path) -> int:
    from desktop_app.cli.monitor_client import MonitorClient

    with MonitorClient(data_dir) as client:
        report = client.call("GET", "/api/system/check")
    for item in report["items"]:
        print(f"{'ok' if item['ok'] else 'NEEDS ATTENTION'}: {item['name']}: {item['text']}")
    print("all well" if report["ok"] else "something needs attention")
    return 0 if report["ok"] else 1
