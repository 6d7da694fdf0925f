"""The embedded server: ports, TLS, bounded shutdown."""

from __future__ import annotations

import json
import socket
import ssl
import time
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from desktop_app.errors import OperatorError
from desktop_app.services.api.server import bind
from desktop_app.services.api.tls import ENV_SSL_PASSPHRASE
from desktop_app.services.runtime import PluginMonitor
from desktop_app.services.secrets import SecretName, SecretStore
from tests.certificates import make_certificate
from tests.services.api.conftest import start_api_monitor

PASSPHRASE = "correct horse battery staple"


def test_a_port_in_use_is_named(tmp_path: Path) -> None:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        with pytest.raises(OperatorError, match=f"the API port {port} on 127.0.0.1 is already"):
            bind("127.0.0.1", port, "API")
        with pytest.raises(OperatorError, match=f"WebSocket stream port {port}"):
            PluginMonitor.open(
                tmp_path / "d", collectors=[], api={"port": 0, "ws_port": port}
            ).start(monitoring=False)
    finally:
        holder.close()


def test_stop_is_bounded_with_clients_connected(
    api_monitor: PluginMonitor, stream_url: str
) -> None:
    with connect(stream_url, open_timeout=5) as ws:
        json.loads(ws.recv(timeout=5))
        started = time.monotonic()
        assert api_monitor.stop(timeout=8)
        assert time.monotonic() - started < 8


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def protected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The guide's kind of key: protected by a passphrase."""
    return make_certificate(tmp_path_factory.mktemp("tls-protected"), PASSPHRASE)


def round_trip(data_dir: Path, cert: Path, key: Path, **api: str) -> None:
    """A monitor on `cert` and `key` answers https and wss, verified against
    `cert` by name (127.0.0.1)."""
    monitor = start_api_monitor(data_dir, ssl_cert=str(cert), ssl_key=str(key), **api)
    try:
        assert monitor.api is not None and monitor.api.scheme == "https"
        context = ssl.create_default_context(cafile=str(cert))
        health = httpx.get(
            f"https://127.0.0.1:{monitor.api.ports['API']}/api/system/health", verify=context
        )
        assert health.json()["status"] == "ok"
        url = f"wss://127.0.0.1:{monitor.api.ports['WebSocket stream']}/"
        with connect(url, ssl=context, open_timeout=5) as ws:
            assert json.loads(ws.recv(timeout=5))["type"] == "welcome"
    finally:
        monitor.stop()


def test_tls_serves_https_and_wss(tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    round_trip(tmp_path / "d", *certificate)


def test_a_protected_key_opens_with_its_passphrase_from_the_secret_store(
    tmp_path: Path, protected: tuple[Path, Path]
) -> None:
    SecretStore(tmp_path / "d").set(SecretName.TLS_PASSPHRASE, PASSPHRASE)
    round_trip(tmp_path / "d", *protected)


def test_a_protected_key_opens_with_a_passphrase_file_or_the_environment(
    tmp_path: Path, protected: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    password_file = tmp_path / "passphrase"
    password_file.write_text(PASSPHRASE + "\n")
    round_trip(tmp_path / "a", *protected, ssl_key_password_file=str(password_file))
    monkeypatch.setenv(ENV_SSL_PASSPHRASE, PASSPHRASE)
    round_trip(tmp_path / "b", *protected)


def test_health_reports_the_writer_and_database(client: httpx.Client) -> None:
    health = client.get("/api/system/health").json()
    assert health["status"] == "ok"
    assert health["writer"]["running"] is True
    assert health["database"]["size_bytes"] > 0
    assert health["plugins"] == 2  # the host and the security plugin
