"""Nothing piles up per client or per job (issue 19): after WebSocket
clients have come and gone, and after exports and backtests, the monitor's
threads, open files and child processes are back where they were."""

from __future__ import annotations

import threading
import time

import httpx
import psutil
from websockets.sync.client import connect

from desktop_app.services.runtime import PluginMonitor
from tests.helpers import wait_until
from tests.services.analytics.test_backtest import spiky_week
from tests.services.api.conftest import Keys


def _handles() -> tuple[int, int, int]:
    me = psutil.Process()
    return threading.active_count(), me.num_fds(), len(me.children(recursive=True))


def _round(admin: httpx.Client, stream_url: str, keys: Keys) -> None:
    for _ in range(20):
        with connect(
            stream_url, additional_headers={"Authorization": f"Bearer {keys.viewer}"}
        ) as ws:
            assert '"welcome"' in str(ws.recv(timeout=5))
    for fmt in ("csv", "json"):
        exported = admin.get(f"/api/advanced-monitoring/export/app?hours=24&format={fmt}")
        assert exported.status_code == 200, exported.text
    backtest = admin.post(
        "/api/advanced-monitoring/thresholds/backtest",
        json={"plugin_id": "app", "thresholds": {"cpu_threshold": 70}},
    )
    assert backtest.status_code == 200, backtest.text


def test_clients_exports_and_backtests_leave_no_threads_files_or_processes_behind(
    api_monitor: PluginMonitor, admin: httpx.Client, stream_url: str, keys: Keys
) -> None:
    spiky_week(api_monitor, time.time())
    _round(admin, stream_url, keys)  # the first starts what is kept: pools, workers
    time.sleep(1)
    baseline = _handles()
    for _ in range(3):
        _round(admin, stream_url, keys)
    wait_until(
        lambda: all(now <= then for now, then in zip(_handles(), baseline, strict=True)),
        15,
        f"back to {baseline} threads, open files and child processes",
    )
