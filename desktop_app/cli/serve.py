"""`plugin-monitor serve`: the core in the foreground, without any Qt.

Runs until SIGINT or SIGTERM, then stops within a bounded time and exits 0.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

from desktop_app.cli.forward import start_forwarding
from desktop_app.config import SettingsFile
from desktop_app.errors import DatabaseError, OperatorError
from desktop_app.logs import configure_logging, ensure_logging_conf
from desktop_app.paths import DataPaths
from desktop_app.services.backup.archive import backup_directory, backups_in
from desktop_app.services.backup.restore import describe, restore
from desktop_app.services.opening import backups_left_to_server
from desktop_app.services.runtime import PluginMonitor, tune_garbage_collection

log = logging.getLogger("plugin_monitor.runtime")


def serve(
    data_dir: Path,
    *,
    interval: float | None = None,
    api: dict[str, Any] | None = None,
    restore_latest: bool = False,
    forward: tuple[str, Path | None] | None = None,
) -> int:
    """`forward`: the central monitor's URL and key file, for an agent."""
    paths = DataPaths(data_dir)
    paths.prepare()
    settings_file = SettingsFile(paths.settings_file)
    settings_file.ensure_exists()
    ensure_logging_conf(paths)
    configure_logging(paths, settings_file.load().log_level)

    try:
        monitor = PluginMonitor.open(data_dir, interval=interval, api=api)
    except DatabaseError as error:
        if not restore_latest or backups_left_to_server(paths):
            raise  # on PostgreSQL, its own tools restore it
        log.error("%s", error)
        _restore_latest(paths, settings_file)
        monitor = PluginMonitor.open(data_dir, interval=interval, api=api)
    stop_requested = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s; stopping", signal.Signals(signum).name)
        stop_requested.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    # Before start: a sample committed once the API answers is forwarded too.
    forward_client = start_forwarding(monitor, *forward) if forward else None
    monitor.start()
    tune_garbage_collection()
    where = ""
    if monitor.api is not None:
        host = monitor.api_settings.host
        where = (
            f", API {monitor.api.scheme}://{host}:{monitor.api.ports['API']}, alert stream "
            f"{'wss' if monitor.api.scheme == 'https' else 'ws'}://{host}:"
            f"{monitor.api.ports['WebSocket stream']}/"
        )
    print(
        f"Plugin Monitor is running: data folder {paths.root}{where}, "
        f"collecting every {monitor.scheduler.interval:g}s. Press Ctrl+C to stop.",
        file=sys.stderr,
        flush=True,
    )
    while not stop_requested.wait(1.0):
        pass
    finished = monitor.stop()
    if forward_client is not None:
        forward_client.close()
    return 0 if finished else 1


def _restore_latest(paths: DataPaths, settings_file: SettingsFile) -> None:
    """`serve --restore-latest`: the newest backup in place of a lost or
    damaged database, said in the log and on stderr with what it loses."""
    directory = backup_directory(paths, settings_file.load().backup)
    found = backups_in(directory)
    if not found:
        raise OperatorError(f"no backup in {directory} to restore")
    restored = restore(paths, found[-1].path, actor="serve --restore-latest")
    lost = (time.time() - found[-1].taken_at) / 3600
    said = f"{describe(restored)}; what came in during the last {lost:.1f} hours is lost"
    log.warning("%s", said)
    print(said, file=sys.stderr, flush=True)
