"""The runtime: composition, bounded stop without loss, one instance per folder."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from desktop_app.errors import InstanceLockedError
from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.services.runtime import PluginMonitor
from desktop_app.services.storage.writer import WriterStoppedError
from tests.helpers import NO_API


def test_a_second_monitor_on_the_same_folder_is_refused(data_dir: Path) -> None:
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as first:
        first.start(monitoring=False)
        with pytest.raises(InstanceLockedError, match="already running on the data folder"):
            PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    PluginMonitor.open(data_dir, collectors=[], api=NO_API).stop()


def test_deleting_the_lock_file_does_not_let_a_second_monitor_in(data_dir: Path) -> None:
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as first:
        first.start(monitoring=False)
        first.paths.lock_file.unlink()
        with pytest.raises(InstanceLockedError, match="already running on the data folder"):
            PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    PluginMonitor.open(data_dir, collectors=[], api=NO_API).stop()


def test_stop_is_bounded_and_keeps_every_acknowledged_sample(data_dir: Path) -> None:
    monitor = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    monitor.start(monitoring=False)
    monitor.registry.register("app", "App", PluginSource.API)
    acknowledged = 0
    stop_pushing = threading.Event()

    def client() -> None:
        nonlocal acknowledged
        i = 0
        while not stop_pushing.is_set():
            try:
                monitor.ingest([Sample("app", 1e9 + i, cpu_percent=99.0)]).result(10)
            except WriterStoppedError:
                return
            acknowledged += 1
            i += 1

    pusher = threading.Thread(target=client)
    pusher.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert monitor.stop(timeout=5)
    assert time.monotonic() - started < 5
    stop_pushing.set()
    pusher.join()
    with sqlite3.connect(data_dir / "plugin_monitoring.db") as conn:
        stored = conn.execute("SELECT count(*) FROM samples").fetchone()[0]
    assert acknowledged > 0 and stored >= acknowledged


def test_start_and_stop_monitoring_with_real_collectors(data_dir: Path) -> None:
    with PluginMonitor.open(data_dir, interval=1, api=NO_API) as monitor:
        monitor.start(monitoring=False)
        assert not monitor.monitoring
        monitor.start_monitoring()
        assert monitor.monitoring
        deadline = time.monotonic() + 5
        while monitor.writer.stats.committed_samples == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert monitor.writer.stats.committed_samples >= 1, "live metrics at once"
        monitor.stop_monitoring()
        time.sleep(0.1)
        committed = monitor.writer.stats.committed_samples
        time.sleep(1.3)
        assert monitor.writer.stats.committed_samples == committed
