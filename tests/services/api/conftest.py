"""A real monitor with its API on free loopback ports, keys for every role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from desktop_app.config import SecuritySettings
from desktop_app.models.auth import Role
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.runtime import PluginMonitor


@dataclass(frozen=True)
class Keys:
    admin: str
    operator: str
    viewer: str
    revoked: str

    def header(self, role: str | None) -> dict[str, str]:
        if role is None:
            return {}
        if role == "unknown":
            return {"Authorization": "Bearer pm_00000000_" + "x" * 43}
        return {"Authorization": f"Bearer {getattr(self, role)}"}


# Tests push in bursts with one key; the rate alert and limit have their own tests.
UNLIMITED = SecuritySettings(rate_alert_per_minute=10_000_000, rate_limit_per_minute=10_000_000)


def open_api_monitor(data_dir: Path, **api: object) -> PluginMonitor:
    monitor = PluginMonitor.open(data_dir, collectors=[], api={"port": 0, "ws_port": 0, **api})
    monitor.abuse.configure(UNLIMITED)
    return monitor


def start_api_monitor(data_dir: Path, **api: object) -> PluginMonitor:
    monitor = open_api_monitor(data_dir, **api)
    monitor.start(monitoring=False)
    return monitor


def make_keys(monitor: PluginMonitor) -> Keys:
    store = ApiKeyStore(monitor.database)
    tokens = {role: store.create(name=role.label, role=role)[1] for role in Role}
    revoked_key, revoked = store.create(name="old", role=Role.ADMIN)
    store.revoke(revoked_key.id)
    return Keys(
        admin=tokens[Role.ADMIN],
        operator=tokens[Role.OPERATOR],
        viewer=tokens[Role.VIEWER],
        revoked=revoked,
    )


@pytest.fixture
def monitor_and_keys(data_dir: Path) -> Iterator[tuple[PluginMonitor, Keys]]:
    """Keys made before the start, as an operator makes them before serving:
    their key_change events belong to no test (the audit trail's first pass
    at start announces nothing)."""
    monitor = open_api_monitor(data_dir)
    keys = make_keys(monitor)
    monitor.start(monitoring=False)
    yield monitor, keys
    monitor.stop()


@pytest.fixture
def api_monitor(monitor_and_keys: tuple[PluginMonitor, Keys]) -> PluginMonitor:
    return monitor_and_keys[0]


@pytest.fixture
def keys(monitor_and_keys: tuple[PluginMonitor, Keys]) -> Keys:
    return monitor_and_keys[1]


@pytest.fixture
def base_url(api_monitor: PluginMonitor) -> str:
    assert api_monitor.api is not None
    return f"http://127.0.0.1:{api_monitor.api.ports['API']}"


@pytest.fixture
def stream_url(api_monitor: PluginMonitor) -> str:
    assert api_monitor.api is not None
    return f"ws://127.0.0.1:{api_monitor.api.ports['WebSocket stream']}/"


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        yield http


@pytest.fixture
def admin(client: httpx.Client, keys: Keys) -> httpx.Client:
    client.headers["Authorization"] = f"Bearer {keys.admin}"
    return client
