"""Hostile clients at the connection: half-open floods, slow headers and
connection caps, against a real server (a child process under `ulimit -n
1024` for the flood)."""

from __future__ import annotations

import resource
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from desktop_app.services.runtime import PluginMonitor
from tests.cli.test_follow import free_port
from tests.helpers import wait_until
from tests.services.api.conftest import start_api_monitor

LIMITED = ("sh", "-c", 'ulimit -n 1024 && exec "$@"', "sh")  # as many systems give a process
PARTIAL = b"GET /api/system/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"  # never finished


def half_open(port: int, count: int, source: str = "127.0.0.2") -> list[socket.socket]:
    opened = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind((source, 0))
        sock.settimeout(5)
        sock.connect(("127.0.0.1", port))
        opened.append(sock)
    for sock in opened:
        sock.send(PARTIAL)
    return opened


@pytest.fixture
def limited_server(tmp_path: Path) -> Iterator[int]:
    """`plugin-monitor serve` with 1,024 file descriptors, as many systems give."""
    port, ws_port = free_port(), free_port()

    data = str(tmp_path / "d")
    command = [sys.executable, "-m", "desktop_app", "serve", "--data-dir", data]
    server = subprocess.Popen(
        [*LIMITED, *command, "--port", str(port), "--ws-port", str(ws_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api/system/health"

    def answering() -> bool:
        try:
            return httpx.get(url, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(answering, 30, "the server answering")
        yield port
    finally:
        server.terminate()
        server.wait(15)


@pytest.mark.expect_log_warnings
def test_a_thousand_half_open_connections_leave_the_api_answering(limited_server: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2048:  # this test process holds the attacker's 1,100 sockets
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
    attack = half_open(limited_server, 1100)
    try:
        probe = httpx.get(f"http://127.0.0.1:{limited_server}/api/system/health", timeout=1.0)
        assert probe.status_code == 200
        # The 65th: refused, its (never finished) request drained for a second, then
        # answered; later ones beyond the drained 64 are closed at once.
        refused = attack[64].recv(4096)
        assert refused.startswith(b"HTTP/1.1 503 ")
        assert b"api.max_connections_per_client" in refused
    finally:
        for sock in attack:
            sock.close()


@pytest.fixture
def strict_monitor(tmp_path: Path) -> Iterator[PluginMonitor]:
    monitor = start_api_monitor(
        tmp_path / "d", max_connections_per_client=2, header_timeout_seconds=1.0
    )
    yield monitor
    monitor.stop()


def test_headers_that_never_finish_are_cut_off(strict_monitor: PluginMonitor) -> None:
    assert strict_monitor.api is not None
    (slow,) = half_open(strict_monitor.api.ports["API"], 1, source="127.0.0.1")
    slow.settimeout(10)
    assert slow.recv(4096) == b"", "closed by the server after header_timeout_seconds"
    slow.close()


@pytest.mark.expect_log_warnings
def test_a_websocket_holds_its_slot_until_it_closes(strict_monitor: PluginMonitor) -> None:
    assert strict_monitor.api is not None
    stream = f"ws://127.0.0.1:{strict_monitor.api.ports['WebSocket stream']}/"
    with (
        connect(stream),
        connect(stream),
        pytest.raises(Exception, match="503"),
        connect(stream),  # the third from this address
    ):
        pass
    wait_until(lambda: _opens(stream), what="the slots given back when the WebSockets closed")


def _opens(stream: str) -> bool:
    try:
        with connect(stream):
            pass
    except Exception:
        return False
    return True


@pytest.mark.expect_log_warnings
def test_a_full_server_answers_503_and_serves_again_when_connections_close(
    tmp_path: Path,
) -> None:
    monitor = start_api_monitor(tmp_path / "d", max_connections_per_client=2, max_connections=10)
    try:
        assert monitor.api is not None
        port = monitor.api.ports["API"]
        held = [sock for n in range(5) for sock in half_open(port, 2, source=f"127.0.0.{n + 2}")]
        (late,) = half_open(port, 1, source="127.0.0.9")
        answer = late.recv(4096)
        assert answer.startswith(b"HTTP/1.1 503 ") and b"its most connections (10)" in answer
        for sock in [*held, late]:
            sock.close()
        health = f"http://127.0.0.1:{port}/api/system/health"
        wait_until(lambda: httpx.get(health, timeout=1).status_code == 200)
    finally:
        monitor.stop()
