"""Every endpoint for every kind of caller, against the real server."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from desktop_app.models.plugins import PluginSource
from desktop_app.services.runtime import PluginMonitor
from tests.services.api.conftest import UNLIMITED, Keys, start_api_monitor

CALLERS = ("none", "viewer", "operator", "admin", "revoked", "unknown")

# (method, path, body, who may: "anyone" | "key" | "read" | "operator" | "admin")
ENDPOINTS = [
    ("GET", "/api/system/health", None, "anyone"),
    ("GET", "/api/status", None, "key"),
    ("GET", "/api/advanced-monitoring/plugins", None, "read"),
    ("GET", "/api/advanced-monitoring/plugins/app", None, "read"),
    ("GET", "/api/advanced-monitoring/alerts", None, "read"),
    ("GET", "/api/advanced-monitoring/alerts/history", None, "read"),
    ("GET", "/api/advanced-monitoring/metrics/app?hours=24", None, "read"),
    ("GET", "/api/advanced-monitoring/trends/app", None, "read"),
    ("GET", "/api/advanced-monitoring/usage-patterns/app", None, "read"),
    ("GET", "/api/advanced-monitoring/analytics/app?hours=24", None, "read"),
    ("GET", "/api/advanced-monitoring/export/app?hours=24&format=csv", None, "read"),
    ("GET", "/api/advanced-monitoring/thresholds", None, "read"),
    (
        "POST",
        "/api/advanced-monitoring/register-plugin",
        {"plugin_id": "app", "plugin_name": "App"},
        "operator",
    ),
    (
        "POST",
        "/api/advanced-monitoring/update-metrics",
        {"plugin_id": "app", "metrics": {"cpu_usage": 1.0}},
        "operator",
    ),
    (
        "POST",
        "/api/advanced-monitoring/update-metrics/batch",
        {"samples": [{"plugin_id": "app", "metrics": {"cpu_usage": 1.0}}]},
        "operator",
    ),
    ("POST", "/api/advanced-monitoring/alerts/999/resolve", {}, "operator"),
    ("POST", "/api/advanced-monitoring/alerts/999/acknowledge", {"comment": "x"}, "operator"),
    ("PUT", "/api/advanced-monitoring/thresholds", {"global": {"cpu_threshold": 81}}, "admin"),
    ("POST", "/api/plugins/disable/app", None, "admin"),
    ("POST", "/api/plugins/enable/app", None, "admin"),
    ("POST", "/api/plugins/restart/app", None, "admin"),
    ("POST", "/api/plugins/stop-all", None, "admin"),
]

SUCCESS = {
    "/api/advanced-monitoring/alerts/999/resolve": 404,  # allowed in, but no alert 999 exists
    "/api/advanced-monitoring/alerts/999/acknowledge": 404,
    "/api/plugins/restart/app": 409,  # allowed in, but no managed process
}
ROLE_RANK = {"viewer": 1, "operator": 2, "admin": 3}


def expected(rule: str, caller: str, path: str) -> int:
    ok = SUCCESS.get(path.split("?", maxsplit=1)[0], 200)
    if rule == "anyone":
        return 200
    if caller in ("revoked", "unknown"):
        return 401
    if caller == "none":
        return ok if rule == "read" else 401
    if rule in ("key", "read"):
        return ok
    return ok if ROLE_RANK[caller] >= ROLE_RANK[rule] else 403


@pytest.mark.parametrize("caller", CALLERS)
def test_every_endpoint_for_every_caller(
    api_monitor: PluginMonitor, client: httpx.Client, keys: Keys, caller: str
) -> None:
    # Bad keys here are the point, not an attack: the lockout has its own tests.
    api_monitor.abuse.configure(replace(UNLIMITED, auth_failure_limit=1000))
    # Registered by no key, so any operator may re-register it (ownership has its own tests).
    api_monitor.registry.register("app", "app", PluginSource.API)
    results = {}
    for method, path, body, rule in ENDPOINTS:
        response = client.request(
            method, path, json=body, headers=keys.header(None if caller == "none" else caller)
        )
        results[(method, path)] = (response.status_code, expected(rule, caller, path))
        assert "Traceback" not in response.text
        download = response.status_code == 200 and "format=csv" in path
        assert response.headers["content-type"].startswith(
            "text/csv" if download else "application/json"
        )
    wrong = {k: v for k, v in results.items() if v[0] != v[1]}
    assert wrong == {}, "(got, expected) per endpoint"


def test_refusals_say_why(client: httpx.Client, keys: Keys) -> None:
    missing = client.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "a"})
    assert missing.status_code == 401
    assert missing.json()["detail"] == (
        "this needs an API key with the operator role: send Authorization: Bearer <key> "
        "(create one with: plugin-monitor keys create --role operator --name NAME)"
    )
    assert missing.headers["www-authenticate"] == "Bearer"
    settings = client.put("/api/system/settings", json={})
    assert settings.json()["detail"].endswith(
        "with the admin role: send Authorization: Bearer <key> (create one with: plugin-monitor "
        "keys create --role admin --name NAME); on the monitor's machine, "
        "`plugin-monitor settings set KEY VALUE` does this without a key"
    )
    hot = client.post("/api/advanced-monitoring/update-metrics", json={})
    assert "with the operator role" in hot.json()["detail"]
    revoked = client.get("/api/status", headers=keys.header("revoked"))
    assert revoked.json()["detail"] == "unknown, revoked or expired API key"
    wrong_scheme = client.get("/api/status", headers={"Authorization": "Basic abc"})
    assert "Bearer <API key>" in wrong_scheme.json()["detail"]
    forbidden = client.put(
        "/api/advanced-monitoring/thresholds", json={}, headers=keys.header("operator")
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"] == "this needs the admin role; operator has operator"


def test_status_tells_who_you_are(client: httpx.Client, keys: Keys) -> None:
    body = client.get("/api/status", headers=keys.header("viewer")).json()
    assert body["authenticated"] is True and body["role"] == "viewer" and body["name"] == "viewer"


def test_clients_from_other_addresses_always_need_a_key(api_monitor: PluginMonitor) -> None:
    """The app itself, called in-process as if from another host: no traffic leaves."""
    assert api_monitor.api is not None
    app = api_monitor.api.endpoints[0].app

    async def call(path: str) -> int:
        transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as remote:
            return (await remote.get(path)).status_code

    assert asyncio.run(call("/api/advanced-monitoring/plugins")) == 401
    assert asyncio.run(call("/api/system/health")) == 200


def test_key_only_mode_refuses_anonymous_reads(tmp_path: Path) -> None:
    monitor = start_api_monitor(tmp_path / "d", anonymous_loopback_reads=False)
    try:
        assert monitor.api is not None
        url = f"http://127.0.0.1:{monitor.api.ports['API']}"
        assert httpx.get(url + "/api/advanced-monitoring/plugins").status_code == 401
        assert httpx.get(url + "/api/system/health").status_code == 200
    finally:
        monitor.stop()
