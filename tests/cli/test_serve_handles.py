"""Nothing piles up per client or per job (issue 19): after WebSocket clients
have come and gone, and after exports and backtests, `plugin-monitor serve`
is back to the threads, open files and child processes it had.

The server runs as a child process of its own and is counted with psutil,
so what other tests leave in the test process cannot move the count (the
first version counted the test process itself, and failed in a full run)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from websockets.sync.client import connect

from tests.cli.test_follow import CLI, free_port
from tests.helpers import wait_until

ROUNDS = 3


class Server:
    def __init__(self, folder: Path) -> None:
        self.token = subprocess.run(
            [str(CLI), "keys", "create", "--role", "admin", "--data-dir", str(folder)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        port, ws_port = free_port(), free_port()
        self.stream = f"ws://127.0.0.1:{ws_port}/"
        ports = ["--port", str(port), "--ws-port", str(ws_port)]
        with (folder / "serve.err").open("wb") as errors:  # the child keeps its own copy
            self.process = subprocess.Popen(
                [str(CLI), "serve", "--data-dir", str(folder), *ports],
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
        self.client = httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
        )
        wait_until(self._answers, 30, "the server answering")

    def _answers(self) -> bool:
        try:
            return self.client.get("/api/system/health").status_code == 200
        except httpx.TransportError:
            return False

    def handles(self) -> tuple[int, int, int]:
        """Threads, open files and child processes of the server."""
        me = psutil.Process(self.process.pid)
        return me.num_threads(), me.num_fds(), len(me.children(recursive=True))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    started = Server(tmp_path / "data")
    yield started
    started.client.close()
    started.process.terminate()
    started.process.wait(20)


def _a_spiky_day(server: Server) -> None:
    now = time.time()
    times = [now - 86_400 + 60 * i for i in range(1440)]
    server.client.post(
        "/api/advanced-monitoring/update-metrics/columns",
        json={
            "plugin_id": "app",
            "timestamps": times,
            "metrics": {"cpu_usage": [95.0 if i % 97 < 5 else 30.0 for i in range(1440)]},
            "backfill": True,
        },
    ).raise_for_status()


def _a_round(server: Server) -> None:
    headers = {"Authorization": f"Bearer {server.token}"}
    for _ in range(20):
        with connect(server.stream, additional_headers=headers) as ws:
            assert '"welcome"' in str(ws.recv(timeout=5))
    for fmt in ("csv", "json"):
        exported = server.client.get(f"/api/advanced-monitoring/export/app?hours=24&format={fmt}")
        assert exported.status_code == 200, exported.text
    backtest = server.client.post(
        "/api/advanced-monitoring/thresholds/backtest",
        json={"plugin_id": "app", "thresholds": {"cpu_threshold": 70}},
    )
    assert backtest.status_code == 200, backtest.text


def test_clients_exports_and_backtests_leave_no_threads_files_or_processes_behind(
    server: Server,
) -> None:
    server.client.post(
        "/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"}
    ).raise_for_status()
    _a_spiky_day(server)
    _a_round(server)  # the first starts what is kept: the backtest pool, the read pool
    time.sleep(1)
    baseline = server.handles()
    for _ in range(ROUNDS):
        _a_round(server)
    wait_until(
        lambda: all(now <= then for now, then in zip(server.handles(), baseline, strict=True)),
        15,
        f"back to {baseline} threads, open files and child processes",
    )
    assert server.process.poll() is None
