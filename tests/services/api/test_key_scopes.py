"""Keys' scopes, expiry and plugin ownership against the real server (R20, R21)."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from desktop_app.models.auth import KeyScope, Role
from desktop_app.models.plugins import PluginSource, ProcessSpec
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import wait_until
from tests.services.api.conftest import Keys

REGISTER = "/api/advanced-monitoring/register-plugin"
PUSH = "/api/advanced-monitoring/update-metrics"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def make(monitor: PluginMonitor, role: Role = Role.OPERATOR, **scope: object) -> str:
    return ApiKeyStore(monitor.database).create(
        name=f"scoped {scope}",
        role=role,
        scope=KeyScope(**scope),  # type: ignore[arg-type]
    )[1]


@pytest.mark.expect_log_warnings
def test_an_expired_key_is_refused(api_monitor: PluginMonitor, client: httpx.Client) -> None:
    soon = make(api_monitor, expires_at=time.time() + 1.0)
    assert client.get("/api/status", headers=bearer(soon)).status_code == 200
    expired = make(api_monitor, expires_at=time.time() - 1.0)
    refused = client.get("/api/status", headers=bearer(expired))
    assert refused.status_code == 401
    assert refused.json()["detail"] == "unknown, revoked or expired API key"


def test_an_ingest_key_may_only_push_and_register(
    api_monitor: PluginMonitor, client: httpx.Client, stream_url: str
) -> None:
    ingest = bearer(make(api_monitor, ingest_only=True))
    assert client.post(REGISTER, json={"plugin_id": "web"}, headers=ingest).status_code == 201
    pushed = client.post(
        PUSH, json={"plugin_id": "web", "metrics": {"cpu_usage": 5}}, headers=ingest
    )
    assert pushed.status_code == 200, pushed.text
    batch = client.post(
        PUSH + "/batch",
        json={"samples": [{"plugin_id": "web", "metrics": {"cpu_usage": 6}}]},
        headers=ingest,
    )
    assert batch.status_code == 200, batch.text
    for method, path in (
        ("GET", "/api/advanced-monitoring/plugins"),
        ("GET", "/api/advanced-monitoring/alerts"),
        ("POST", "/api/advanced-monitoring/alerts/1/resolve"),
    ):
        refused = client.request(method, path, headers=ingest)
        assert refused.status_code == 403, path
        assert (
            "created with --ingest: it may only push metrics and register plugins"
            in (refused.json()["detail"])
        )
    with connect(stream_url, additional_headers=ingest) as ws:
        assert "created with --ingest" in json.loads(ws.recv(timeout=5))["detail"]
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


def test_a_pattern_key_stays_inside_its_pattern(
    api_monitor: PluginMonitor, client: httpx.Client
) -> None:
    web = bearer(make(api_monitor, plugins="web*"))
    assert client.post(REGISTER, json={"plugin_id": "web-1"}, headers=web).status_code == 201
    outside = client.post(REGISTER, json={"plugin_id": "billing"}, headers=web)
    assert outside.status_code == 403
    assert outside.json()["detail"] == (
        "the API key scoped {'plugins': 'web*'} may only register plugins matching 'web*' "
        "(its --plugins pattern)"
    )
    api_monitor.registry.register("billing", "Billing", PluginSource.API)
    push = client.post(
        PUSH, json={"plugin_id": "billing", "metrics": {"cpu_usage": 1}}, headers=web
    )
    assert push.status_code == 403 and "may only push to plugins matching" in push.text


def test_an_operator_cannot_re_own_a_directory_plugin_or_push_into_system(
    api_monitor: PluginMonitor, client: httpx.Client, keys: Keys
) -> None:
    watch = ProcessSpec(name="billing-worker")
    api_monitor.registry.register("billing", "Billing", PluginSource.DIRECTORY, process=watch)
    operator, admin = keys.header("operator"), keys.header("admin")
    taken = client.post(
        REGISTER, json={"plugin_id": "billing", "plugin_name": "X"}, headers=operator
    )
    assert taken.status_code == 403
    assert taken.json()["detail"] == (
        "plugin billing comes from its folder's plugin.toml; only an admin key may re-register it"
    )
    renamed = client.post(
        REGISTER, json={"plugin_id": "billing", "plugin_name": "Bills"}, headers=admin
    )
    assert renamed.status_code == 200
    billing = api_monitor.registry.get("billing")
    assert billing is not None and (billing.name, billing.process) == ("Bills", watch)
    fake = {"plugin_id": "system", "metrics": {"cpu_usage": 99.0}}
    pushed = client.post(PUSH, json=fake, headers=operator)
    assert pushed.status_code == 403
    assert pushed.json()["detail"] == (
        "plugin system is built into the monitor; only an admin key may push into it"
    )
    system = client.post(
        REGISTER, json={"plugin_id": "system", "plugin_name": "Mine"}, headers=operator
    )
    assert system.status_code == 403


def test_an_api_plugin_is_renamed_only_by_its_owner_or_an_admin(
    api_monitor: PluginMonitor, client: httpx.Client, keys: Keys
) -> None:
    owner = bearer(make(api_monitor))
    assert client.post(REGISTER, json={"plugin_id": "app"}, headers=owner).status_code == 201
    again = client.post(REGISTER, json={"plugin_id": "app", "plugin_name": "App"}, headers=owner)
    assert again.status_code == 200 and again.json()["plugin"]["plugin_name"] == "App"
    other = client.post(
        REGISTER, json={"plugin_id": "app", "plugin_name": "Mine"}, headers=keys.header("operator")
    )
    assert other.status_code == 403
    assert "was registered by another API key" in other.json()["detail"]
    (renamed,) = [e for e in api_monitor.audit.entries(limit=5) if e.action == "plugin.rename"]
    assert (renamed.old_value, renamed.new_value) == ("app", "App")
    assert renamed.actor.startswith("scoped {} (key ")
    assert renamed.actor.endswith(") from 127.0.0.1")


def test_a_key_s_last_use_and_address_are_recorded(
    api_monitor: PluginMonitor, client: httpx.Client, keys: Keys
) -> None:
    assert client.get("/api/status", headers=keys.header("viewer")).status_code == 200
    store = ApiKeyStore(api_monitor.database)

    def viewer_seen() -> bool:
        key = next(k for k in store.list() if k.name == "viewer")
        return key.last_used_at is not None and key.last_used_from == "127.0.0.1"

    wait_until(viewer_seen, what="the viewer key's last use from 127.0.0.1")
