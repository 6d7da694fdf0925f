"""A real monitor with its API on free loopback ports, keys for every role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

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


def start_api_monitor(data_dir: Path, **api: object) -> PluginMonitor:
    monitor = PluginMonitor.open(data_dir, collectors=[], api={"port": 0, "ws_port": 0, **api})
    monitor.start(monitoring=False)
    return monitor


@pytest.fixture
def api_monitor(data_dir: Path) -> Iterator[PluginMonitor]:
    monitor = start_api_monitor(data_dir)
    yield monitor
    monitor.stop()


@pytest.fixture
def keys(api_monitor: PluginMonitor) -> Keys:
    store = ApiKeyStore(api_monitor.database)
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
