"""`desktop_app.client` against a live monitor (`plugin-monitor serve` in its
own process): the guide's threshold snippet, pushes, the batching Pusher
across a stopped monitor, alerts and plugin control."""

from __future__ import annotations

import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.client import Monitor, MonitorError, Pusher
from tests.cli.test_follow import free_port, serve


def _folder(tmp_path: Path) -> tuple[Path, int, int]:
    port, ws_port = free_port(), free_port()
    data_dir = tmp_path / "data"
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(
        f"[api]\nport = {port}\nws_port = {ws_port}\n", encoding="utf-8"
    )
    return data_dir, port, ws_port


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    data_dir, port, ws_port = _folder(tmp_path)
    server = serve(data_dir, port, ws_port)
    yield data_dir, port
    server.terminate()
    server.wait(20)


def test_the_guides_threshold_snippet_runs_against_a_live_monitor(
    live: tuple[Path, int],
) -> None:
    data_dir, port = live
    with (
        Monitor(data_dir=data_dir) as monitor,  # this machine's monitor, its local credential
        Monitor(f"http://127.0.0.1:{port}") as again,  # its URL: no key needed either
    ):
        _set_and_read(monitor, again, data_dir)


def _set_and_read(monitor: Monitor, again: Monitor, data_dir: Path) -> None:
    monitor.thresholds.cpu_threshold = 70.0
    monitor.thresholds.memory_threshold = 80.0
    monitor.thresholds.response_time_threshold = 3.0
    monitor.thresholds.plugin("billing").cpu_threshold = 60.0

    assert again.thresholds.cpu_threshold == 70.0
    assert again.thresholds.plugin("billing").cpu_threshold == 60.0
    assert again.thresholds.plugin("billing").memory_threshold == 80.0  # the global one
    saved = tomllib.loads((data_dir / "config" / "settings.toml").read_text(encoding="utf-8"))
    assert saved["thresholds"]["cpu_threshold"] == 70.0
    assert saved["thresholds"]["plugins"]["billing"]["cpu_threshold"] == 60.0

    del monitor.thresholds.plugin("billing").cpu_threshold
    assert again.thresholds.plugin("billing").cpu_threshold == 70.0
    with pytest.raises(AttributeError, match="no threshold 'cpu_treshold'; the monitor has"):
        _ = monitor.thresholds.cpu_treshold
    with pytest.raises(MonitorError) as refused:
        monitor.thresholds.cpu_threshold = -5.0
    assert refused.value.status == 422 and "cpu_threshold" in str(refused.value)
    assert again.thresholds.cpu_threshold == 70.0


def test_a_push_is_stored_and_an_alert_read_and_acknowledged(live: tuple[Path, int]) -> None:
    data_dir, _port = live
    with Monitor(data_dir=data_dir) as monitor:
        _push_and_act(monitor)


def _push_and_act(monitor: Monitor) -> None:
    monitor.register("billing", "Billing")
    monitor.push("billing", cpu_usage=97.0, memory_usage=40.0, queue_depth=3)
    deadline = time.monotonic() + 10
    while not (alerts := monitor.alerts(plugin="billing")):
        assert time.monotonic() < deadline, "the alert was not raised"
        time.sleep(0.05)
    (alert,) = alerts
    assert (alert["rule"], alert["level"]) == ("cpu", "critical")
    assert monitor.acknowledge(alert["id"], "looking")["status"] == "acknowledged"
    assert monitor.control("disable", "billing")["enabled"] is False
    assert [p["plugin_id"] for p in monitor.plugins() if p["plugin_id"] == "billing"]


def test_a_wrong_key_and_a_monitor_that_is_not_there_are_said_plainly(
    live: tuple[Path, int],
) -> None:
    _data_dir, port = live
    wrong = Monitor(f"http://127.0.0.1:{port}", "pm_00000000_" + "x" * 43)
    nowhere = Monitor(f"http://127.0.0.1:{free_port()}", "any")
    with wrong, pytest.raises(MonitorError) as refused:
        wrong.plugins()
    assert refused.value.status == 401
    with nowhere, pytest.raises(MonitorError) as nobody:
        nowhere.plugins()
    assert nobody.value.status == 0 and "no monitor answers at" in str(nobody.value)


@pytest.mark.expect_log_warnings
def test_the_pusher_keeps_samples_while_the_monitor_is_stopped_and_sends_each_once(
    tmp_path: Path,
) -> None:
    """Queued in order while nothing answers, sent when the monitor is back,
    registered on first sight, stored exactly once."""
    data_dir, port, ws_port = _folder(tmp_path)
    server = serve(data_dir, port, ws_port)
    monitor = Monitor(data_dir=data_dir)
    pusher = Pusher(monitor, flush_seconds=0.1, batch=500)
    try:
        start = time.time() - 3600
        for i in range(300):
            pusher.push("agent", timestamp=start + i, cpu_usage=float(i % 50), depth=i)
        assert pusher.flush(20)
        server.terminate()
        server.wait(20)
        for i in range(300, 1000):
            pusher.push("agent", timestamp=start + i, cpu_usage=float(i % 50), depth=i)
        time.sleep(1.0)
        assert pusher.queued == 700 and pusher.stats.retries >= 1
        server = serve(data_dir, port, ws_port)
        assert pusher.flush(30), pusher.stats
    finally:
        pusher.close()
        monitor.close()
        server.terminate()
        server.wait(20)
    assert (pusher.stats.sent, pusher.stats.refused, pusher.stats.dropped_full) == (1000, 0, 0)
    rows = _stored(
        data_dir,
        "SELECT s.ts, e.value FROM samples s JOIN plugins p ON p.id = s.plugin_id "
        "JOIN sample_extras e ON e.plugin_id = s.plugin_id AND e.ts = s.ts "
        "WHERE p.key = 'agent' ORDER BY s.ts",
    )
    assert [value for _ts, value in rows] == [float(i) for i in range(1000)]


@pytest.mark.expect_log_warnings
def test_the_pusher_drops_what_the_monitor_refuses_and_the_oldest_when_full(
    live: tuple[Path, int],
) -> None:
    data_dir, _port = live
    with (
        Monitor(data_dir=data_dir) as monitor,
        Pusher(monitor, flush_seconds=60, max_queued=5) as pusher,
    ):
        for i in range(8):
            pusher.push("agent", timestamp=time.time() - 100 + i, cpu_usage=1.0)
        assert pusher.stats.dropped_full == 3 and pusher.queued == 5
        pusher.push("agent", timestamp=time.time() + 86_400, cpu_usage=1.0)  # a clock ahead
        assert pusher.flush(10)
    assert pusher.stats.refused == 5  # the whole batch holding the bad time, not retried
    assert pusher.stats.last_error is not None and "ahead" in pusher.stats.last_error


def test_the_client_imports_no_qt_and_no_server_code() -> None:
    code = (
        "import sys, desktop_app.client; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 'fastapi', 'starlette', 'uvicorn', 'sqlalchemy', 'psutil') "
        "or m == 'desktop_app.cli' or m.startswith(('desktop_app.services.api', "
        "'desktop_app.services.storage', 'desktop_app.views', 'desktop_app.cli.'))); print(bad)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def _stored(data_dir: Path, query: str) -> list[tuple[object, ...]]:
    import sqlite3

    with sqlite3.connect(data_dir / "plugin_monitoring.db") as db:
        return db.execute(query).fetchall()
