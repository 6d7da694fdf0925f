"""Registration, plugin listing and control, thresholds over HTTP."""

from __future__ import annotations

from pathlib import Path

import httpx

from desktop_app.models.auth import Role
from desktop_app.models.plugins import PluginSource, ProcessSpec
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.collectors.process import ProcessCollector
from desktop_app.services.runtime import PluginMonitor
from tests.services.api.conftest import start_api_monitor

REGISTER = "/api/advanced-monitoring/register-plugin"
BASE = "/api/advanced-monitoring"


def test_registration_is_idempotent(admin: httpx.Client) -> None:
    first = admin.post(REGISTER, json={"plugin_id": "my_plugin", "plugin_name": "내 플러그인"})
    again = admin.post(REGISTER, json={"plugin_id": "my_plugin", "plugin_name": "내 플러그인"})
    assert (first.status_code, first.json()["created"]) == (201, True)
    assert (again.status_code, again.json()["created"]) == (200, False)
    plugin = admin.get("/api/advanced-monitoring/plugins/my_plugin").json()
    assert plugin["plugin_name"] == "내 플러그인" and plugin["source"] == "api"
    listed = [p["plugin_id"] for p in admin.get("/api/advanced-monitoring/plugins").json()]
    assert listed == ["my_plugin", "security", "system"]


def test_disable_and_enable(admin: httpx.Client, api_monitor: PluginMonitor) -> None:
    admin.post(REGISTER, json={"plugin_id": "app"})
    body = admin.post("/api/plugins/disable/app").json()
    assert body == {
        "plugin_id": "app",
        "state": "disabled",
        "pid": None,
        "restarts": 0,
        "exit_code": None,
        "enabled": False,
        "detail": "",
    }
    assert api_monitor.registry.get("app").enabled is False  # type: ignore[union-attr]
    enabled = admin.post("/api/plugins/enable/app").json()
    assert enabled["enabled"] is True and enabled["state"] == "watched"
    assert admin.post("/api/plugins/disable/ghost").status_code == 404


def test_restart_without_a_managed_process_is_409_with_the_reason(admin: httpx.Client) -> None:
    admin.post(REGISTER, json={"plugin_id": "app"})
    response = admin.post("/api/plugins/restart/app")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "plugin app has no [run] table in its plugin.toml, so Plugin Monitor does not start it "
        "and cannot restart it; restart it where it runs"
    )


def test_thresholds_read_and_change_atomically(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    current = admin.get("/api/advanced-monitoring/thresholds").json()
    assert current["global"]["cpu_threshold"] == 80.0 and current["plugins"] == {}
    changed = admin.put(
        "/api/advanced-monitoring/thresholds",
        json={
            "global": {"cpu_threshold": 70, "for_samples": 2},
            "plugins": {"app": {"memory_threshold": 60}},
        },
    ).json()
    assert changed["global"]["cpu_threshold"] == 70.0
    assert changed["plugins"] == {"app": {"memory_threshold": 60.0}}
    assert api_monitor.thresholds.for_samples == 2
    refused = admin.put(
        "/api/advanced-monitoring/thresholds",
        json={"global": {"cpu_threshold": 50, "cpu_critical_threshold": 40}},
    )
    assert refused.status_code == 422
    assert (
        "cpu_critical_threshold = 40 is below cpu_threshold = 50"
        in refused.json()["errors"][0]["problem"]
    )
    assert api_monitor.thresholds.cpu_threshold == 70.0, "nothing applied"
    cleared = admin.put(
        "/api/advanced-monitoring/thresholds", json={"plugins": {"app": {"memory_threshold": None}}}
    ).json()
    assert cleared["plugins"] == {}
    unknown = admin.put("/api/advanced-monitoring/thresholds", json={"global": {"cpu": 5}})
    assert unknown.status_code == 422 and "no threshold named 'cpu'" in unknown.text
    audit = [e.target for e in api_monitor.audit.entries() if e.action.startswith("threshold")]
    assert sorted(audit) == [
        "app.memory_threshold",
        "app.memory_threshold",
        "cpu_threshold",
        "for_samples",
    ]


def test_a_watched_process_that_is_not_found_is_its_own_state(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    collector = ProcessCollector(
        api_monitor.registry.all, api_monitor.registry.note_missing_processes
    )
    spec = ProcessSpec(pid=2**22 + 4321)  # no such process
    api_monitor.registry.register("worker", "Worker", PluginSource.DIRECTORY, process=spec)
    api_monitor.registry.register("pushed", "Pushed", PluginSource.API)
    collector.collect(1.0)
    plugins = {p["plugin_id"]: p for p in admin.get(f"{BASE}/plugins").json()}
    assert plugins["worker"]["process_found"] is False
    assert plugins["worker"]["process"]["pid"] == spec.pid
    assert plugins["pushed"]["process_found"] is None
    assert admin.get(f"{BASE}/plugins/worker").json()["process_found"] is False


def test_auto_registration_when_enabled(tmp_path: Path) -> None:
    """A monitor of its own (with --postgres, one database holds one monitor)."""
    monitor = start_api_monitor(tmp_path / "d", auto_register=True)
    try:
        assert monitor.api is not None
        _key, token = ApiKeyStore(monitor.database).create(name="op", role=Role.OPERATOR)
        response = httpx.post(
            f"http://127.0.0.1:{monitor.api.ports['API']}/api/advanced-monitoring/update-metrics",
            json={"plugin_id": "newcomer", "metrics": {"cpu_usage": 1}},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200
        assert monitor.registry.get("newcomer") is not None
    finally:
        monitor.stop()
