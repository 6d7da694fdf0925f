"""`plugin-monitor serve`: the core in the foreground, without any Qt.

Runs until SIGINT or SIGTERM, then stops within a bounded time and exits 0.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from desktop_app.config import SettingsFile
from desktop_app.logs import configure_logging, ensure_logging_conf
from desktop_app.paths import DataPaths
from desktop_app.services.runtime import PluginMonitor, tune_garbage_collection

log = logging.getLogger("plugin_monitor.runtime")


def serve(
    data_dir: Path, *, interval: float | None = None, api: dict[str, Any] | None = None
) -> int:
    paths = DataPaths(data_dir)
    paths.prepare()
    settings_file = SettingsFile(paths.settings_file)
    settings_file.ensure_exists()
    ensure_logging_conf(paths)
    configure_logging(paths, settings_file.load().log_level)

    monitor = PluginMonitor.open(data_dir, interval=interval, api=api)
    stop_requested = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s; stopping", signal.Signals(signum).name)
        stop_requested.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
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
    return 0 if finished else 1
