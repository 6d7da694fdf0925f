"""What a hostile web page could use is refused: a forged Host (DNS
rebinding), a foreign Origin on the alert stream, forwarded requests from
peers nobody trusts; and every answer carries the security headers."""

from __future__ import annotations

import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.services.runtime import PluginMonitor
from tests.services.api.conftest import Keys, start_api_monitor

PLUGINS = "/api/advanced-monitoring/plugins"


def test_a_foreign_host_gets_421_and_the_local_names_work(
    client: httpx.Client, api_monitor: PluginMonitor
) -> None:
    assert api_monitor.api is not None
    port = api_monitor.api.ports["API"]
    forged = client.get(PLUGINS, headers={"Host": "evil.example"})
    assert forged.status_code == 421
    assert "does not answer to the host 'evil.example'" in forged.json()["detail"]
    assert "api.allowed_hosts" in forged.json()["detail"]
    for host in (f"localhost:{port}", "localhost", f"127.0.0.1:{port}", f"[::1]:{port}"):
        assert client.get(PLUGINS, headers={"Host": host}).status_code == 200, host
    forged_write = client.post(
        "/api/advanced-monitoring/update-metrics",
        headers={"Host": "evil.example:5000"},
        json={"plugin_id": "x", "metrics": {}},
    )
    assert forged_write.status_code == 421, "the hot path is behind the guard too"


def test_every_answer_has_the_security_headers(client: httpx.Client) -> None:
    data = client.get(PLUGINS)
    assert data.headers["x-content-type-options"] == "nosniff"
    assert data.headers["cache-control"] == "no-store"
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "script-src 'self' 'unsafe-inline'" in docs.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]
    refused = client.post("/api/advanced-monitoring/update-metrics", json={})
    assert refused.headers["x-content-type-options"] == "nosniff"


@pytest.mark.expect_log_warnings
def test_a_web_page_cannot_open_the_alert_stream(stream_url: str, keys: Keys) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(stream_url, origin="https://evil.example", open_timeout=5)  # type: ignore[arg-type]
    assert refused.value.response.status_code == 403
    auth = {"Authorization": f"Bearer {keys.viewer}"}
    with connect(stream_url, additional_headers=auth, open_timeout=5) as stream:
        assert '"type":"welcome"' in stream.recv(timeout=5).replace(" ", "")


def test_an_allowed_origin_and_a_forged_host_on_the_stream(data_dir: Path) -> None:
    monitor = start_api_monitor(data_dir, allowed_origins=("https://ops.example.com",))
    try:
        assert monitor.api is not None
        url = f"ws://127.0.0.1:{monitor.api.ports['WebSocket stream']}/"
        with connect(url, origin="https://ops.example.com", open_timeout=5) as stream:  # type: ignore[arg-type]
            assert "welcome" in stream.recv(timeout=5)
        port = monitor.api.ports["WebSocket stream"]
        assert raw_handshake(port, "evil.example").startswith("HTTP/1.1 403")
        assert raw_handshake(port, f"localhost:{port}").startswith("HTTP/1.1 101")
    finally:
        monitor.stop()


def raw_handshake(port: int, host: str) -> str:
    """The status line of a WebSocket handshake sent with this Host header."""
    request = (
        f"GET / HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request.encode())
        return sock.recv(1024).decode("latin-1").split("\r\n", 1)[0]


@pytest.fixture
def proxied(data_dir: Path) -> Iterator[httpx.Client]:
    monitor = start_api_monitor(data_dir, trusted_proxies=("127.0.0.1",))
    try:
        assert monitor.api is not None
        url = f"http://127.0.0.1:{monitor.api.ports['API']}"
        with httpx.Client(base_url=url, timeout=10) as http:
            yield http
    finally:
        monitor.stop()


def test_a_forwarded_request_from_an_untrusted_peer_is_never_anonymous(
    client: httpx.Client,
) -> None:
    assert client.get(PLUGINS).status_code == 200, "a loopback reader is a viewer"
    for header in (
        {"X-Forwarded-For": "127.0.0.1"},
        {"Forwarded": "for=127.0.0.1"},
        {"X-Real-IP": "127.0.0.1"},
    ):
        answer = client.get(PLUGINS, headers=header)
        assert answer.status_code == 401, header


def test_a_trusted_proxy_passes_on_its_clients_address(proxied: httpx.Client) -> None:
    local = proxied.get(PLUGINS, headers={"X-Forwarded-For": "127.0.0.1"})
    assert local.status_code == 200
    remote = proxied.get(PLUGINS, headers={"X-Forwarded-For": "203.0.113.9, 127.0.0.1"})
    assert remote.status_code == 401, "the remote client behind the local proxy needs a key"
    assert proxied.get(PLUGINS).status_code == 200, "the proxy's own request"


@pytest.mark.expect_log_warnings
@pytest.mark.sqlite_only  # a SQLite trigger makes the fault
def test_health_shows_paths_and_error_texts_to_admins_only(
    client: httpx.Client, keys: Keys, api_monitor: PluginMonitor
) -> None:
    """A failing part (here: the database refuses alert events) is named to
    anyone, but its SQL and the data folder's path only to an admin."""
    with sqlite3.connect(api_monitor.paths.database) as conn:
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON alert_events "
            "BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
        )
    api_monitor.registry.register("app", "app", PluginSource.API)
    api_monitor.ingest([Sample("app", time.time(), cpu_percent=99.0)]).result(10)
    api_monitor.engine.flush().result(10)
    anonymous = client.get("/api/system/health")
    text = anonymous.text
    assert anonymous.json()["status"] == "degraded"
    assert "alert-engine: failing (the details are for admins)" in anonymous.json()["problems"]
    assert "SQL" not in text and "injected fault" not in text
    assert str(api_monitor.paths.root) not in text
    viewer = client.get("/api/system/health", headers=keys.header("viewer")).text
    assert "SQL" not in viewer and str(api_monitor.paths.root) not in viewer
    admin = client.get("/api/system/health", headers=keys.header("admin")).json()
    assert admin["database"]["path"] == str(api_monitor.paths.database)
    assert "injected fault" in admin["workers"]["alert-engine"]["error"]
