"""Forwarding agents: `serve --forward-to URL` and `forward set-key`.

The central monitor's key comes from the secret store (`plugin-monitor
forward set-key`, asked or read from standard input) or from a file named
by `--forward-key-file`; never from the command line, where `ps` shows it.
"""

from __future__ import annotations

import argparse
import re
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.cli.secret_input import ask_secret, keep_secret, read_secret_file
from desktop_app.errors import OperatorError
from desktop_app.paths import DataPaths
from desktop_app.services.secrets import SecretName, SecretStore

if TYPE_CHECKING:
    from desktop_app.client.monitor import Monitor
    from desktop_app.services.runtime import PluginMonitor

BUFFER_FILE = "forward-buffer.db"
# A send under way when the agent stops holds the stop up to this long.
SEND_TIMEOUT_SECONDS = 5.0


def add_forward_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--forward-to",
        metavar="URL",
        help="be an agent: send every sample on to the central monitor at URL, as "
        "<host>.<plugin> (its key: `forward set-key`, or --forward-key-file)",
    )
    serve.add_argument(
        "--forward-key-file",
        type=Path,
        metavar="FILE",
        help="read the central monitor's API key from FILE instead of the secret store",
    )


def add_forward_command(commands: Any, common: argparse.ArgumentParser) -> None:
    forward = commands.add_parser("forward", help="keep the central monitor's key of an agent")
    actions = forward.add_subparsers(dest="forward_command", metavar="ACTION", required=True)
    actions.add_parser(
        "set-key",
        parents=[common],
        help="store the central monitor's API key in the secret store (asked, or from stdin)",
    )
    actions.add_parser("forget-key", parents=[common], help="remove it from the secret store")


def run_forward(args: argparse.Namespace, data_dir: Path) -> int:
    paths = DataPaths(data_dir)
    paths.prepare()
    store = SecretStore(paths.root)
    if args.forward_command == "forget-key":
        found = store.delete(SecretName.FORWARD_KEY)
        print("key forgotten" if found else "no key was stored")
        return 0
    key = ask_secret("API key of the central monitor")
    keep_secret(store, SecretName.FORWARD_KEY, key, "`serve --forward-to URL` uses it")
    return 0


def start_forwarding(monitor: PluginMonitor, url: str, key_file: Path | None) -> Monitor:
    """The agent's forwarder, one of the monitor's workers (before it starts):
    started before the writer and stopped after it, so the last samples the
    writer commits at a stop still reach the outbox. The client to close
    once the monitor has stopped is returned."""
    from desktop_app.client.monitor import Monitor
    from desktop_app.services.forwarding import Forwarder
    from desktop_app.services.storage.forward_buffer import ForwardBuffer

    target = Monitor(url, _key(monitor.secrets, key_file), timeout=SEND_TIMEOUT_SECONDS)
    forwarder = Forwarder(
        target=target,
        buffer=ForwardBuffer(monitor.paths.root / BUFFER_FILE),
        host=host_name(),
        buffer_bytes=monitor.settings.forward_buffer_mb * 1024 * 1024,
        problems=monitor.problems,
    )
    monitor.samples_bus.subscribe(forwarder.note)
    monitor.workers.insert(monitor.workers.index(monitor.writer), forwarder)
    return target


def host_name() -> str:
    """This host's name as a plugin id's first part (letters, digits, '_', '-')."""
    name = re.sub(r"[^A-Za-z0-9_-]", "-", socket.gethostname().split(".")[0]).strip("-_")
    return name[:40] or "host"


def _key(secrets: SecretStore, key_file: Path | None) -> str:
    if key_file is not None:
        return read_secret_file(key_file, "the central monitor's API key")
    stored = secrets.get(SecretName.FORWARD_KEY)
    if stored is None:
        raise OperatorError(
            "no key for the central monitor: store one with `plugin-monitor forward set-key` "
            "(make it there with `plugin-monitor keys create --ingest`), or give "
            "--forward-key-file"
        )
    return stored
