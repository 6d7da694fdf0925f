"""Abuse against the real server: bad keys lock a client out, a key over its
rate is slowed, and both raise the security plugin's alerts (R25)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from desktop_app.config import SecuritySettings
from desktop_app.models.alerts import AlertFilter
from desktop_app.models.audit import AuditEntry, AuditFilter
from desktop_app.models.auth import KeyScope, Role
from desktop_app.models.levels import AlertLevel
from desktop_app.models.plugins import SECURITY_PLUGIN_KEY
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import wait_until
from tests.services.api.conftest import Keys

pytestmark = pytest.mark.expect_log_warnings
UNKNOWN = {"Authorization": "Bearer pm_0badc0de_" + "x" * 43}


def security_alert(monitor: PluginMonitor, rule: str) -> AlertLevel | None:
    found = [
        a
        for a in monitor.engine.open_alerts()
        if (a.plugin_key, a.rule) == (SECURITY_PLUGIN_KEY, rule)
    ]
    return found[0].level if found else None


def audit_rows(monitor: PluginMonitor, action: str) -> list[AuditEntry]:
    return monitor.audit.page(AuditFilter(action=action), limit=10)


def test_five_bad_keys_lock_the_client_out_but_its_valid_key_is_still_served(
    api_monitor: PluginMonitor, client: httpx.Client, keys: Keys, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(4):
        assert client.get("/api/status", headers=UNKNOWN).status_code == 401
    assert security_alert(api_monitor, "auth_failures") is None
    fifth = client.get("/api/status", headers=UNKNOWN)
    assert fifth.status_code == 401
    wait_until(
        lambda: security_alert(api_monitor, "auth_failures") is AlertLevel.CRITICAL,
        what="the auth_failures alert after the fifth bad key",
    )
    locked = client.get("/api/status", headers=UNKNOWN)
    assert locked.status_code == 429
    assert 295 <= int(locked.headers["retry-after"]) <= 300
    assert "too many bad API keys from this address" in locked.json()["detail"]
    anonymous = client.get("/api/advanced-monitoring/plugins")
    assert anonymous.status_code == 429, "an unauthenticated read is refused too"
    hot = client.post("/api/advanced-monitoring/update-metrics", json={}, headers=UNKNOWN)
    assert hot.status_code == 429 and "retry-after" in hot.headers
    served = client.get("/api/status", headers=keys.header("viewer"))
    assert served.status_code == 200 and served.json()["role"] == "viewer"
    lines = [r.getMessage() for r in caplog.records if r.name == "plugin_monitor.api.auth"]
    assert lines.count("refused the API key pm_0badc0de_… from 127.0.0.1 on /api/status") == 5
    assert "locked out 127.0.0.1: 5 bad API keys within 300 s" in "\n".join(lines)
    assert not any("x" * 43 in line for line in lines), "the secret part is never logged"
    wait_until(lambda: audit_rows(api_monitor, "auth.lockout"), what="the lockout's audit row")
    (lockout,) = audit_rows(api_monitor, "auth.lockout")
    assert (lockout.actor, lockout.target) == ("monitor (abuse watch)", "127.0.0.1")
    assert lockout.new_value == (
        "5 bad API keys within 300 s (the last: the API key pm_0badc0de_… on /api/status); "
        "locked out for 300 s, 429 without a valid key"
    )
    alert = next(a for a in api_monitor.engine.open_alerts() if a.rule == "auth_failures")
    assert "the audit trail names them (auth.lockout)" in alert.message


def test_the_lockout_ends_and_its_alert_resolves(
    api_monitor: PluginMonitor, client: httpx.Client
) -> None:
    api_monitor.abuse.configure(SecuritySettings(auth_failure_limit=2, lockout_seconds=1.0))
    for _ in range(2):
        client.get("/api/status", headers=UNKNOWN)
    assert client.get("/api/status", headers=UNKNOWN).status_code == 429
    wait_until(lambda: security_alert(api_monitor, "auth_failures") is not None)
    wait_until(
        lambda: security_alert(api_monitor, "auth_failures") is None,
        what="the auth_failures alert resolving once the lockout ended",
    )
    assert client.get("/api/status", headers=UNKNOWN).status_code == 401
    history = api_monitor.alerts.page(AlertFilter(plugin_key=SECURITY_PLUGIN_KEY), limit=5)
    assert history[0].message.startswith("No more failed logins: the lockout ended")


def test_bad_keys_on_the_websocket_count_too(
    api_monitor: PluginMonitor, stream_url: str, client: httpx.Client
) -> None:
    api_monitor.abuse.configure(SecuritySettings(auth_failure_limit=2))

    async def try_key() -> dict[str, object]:
        async with websockets.connect(stream_url, additional_headers=UNKNOWN) as ws:
            return dict(json.loads(await ws.recv()))

    assert asyncio.run(try_key())["detail"] == "unknown, revoked or expired API key"
    asyncio.run(try_key())
    assert "too many bad API keys" in str(asyncio.run(try_key())["detail"])
    assert client.get("/api/status", headers=UNKNOWN).status_code == 429


def test_a_key_over_its_rate_raises_the_rate_alert_then_gets_429(
    api_monitor: PluginMonitor, client: httpx.Client, keys: Keys
) -> None:
    api_monitor.abuse.configure(SecuritySettings(rate_alert_per_minute=5, rate_limit_per_minute=8))
    viewer = keys.header("viewer")
    codes = [client.get("/api/status", headers=viewer).status_code for _ in range(8)]
    assert codes == [200] * 8
    wait_until(
        lambda: security_alert(api_monitor, "rate_limit") is AlertLevel.WARNING,
        what="the rate_limit warning above 5 requests a minute",
    )
    over = client.get("/api/status", headers=viewer)
    assert over.status_code == 429, over.text
    assert 1 <= int(over.headers["retry-after"]) <= 60
    assert "made more requests this minute than its rate allows" in over.json()["detail"]
    other = client.get("/api/status", headers=keys.header("operator"))
    assert other.status_code == 200, "another key keeps its own allowance"
    wait_until(lambda: audit_rows(api_monitor, "auth.over_rate"), what="its audit row")
    (over_rate,) = audit_rows(api_monitor, "auth.over_rate")
    assert over_rate.target.startswith("viewer (key "), over_rate.target
    assert over_rate.new_value == "6 requests this minute, over its rate"


def test_an_ingest_key_has_its_own_allowance(
    api_monitor: PluginMonitor, client: httpx.Client
) -> None:
    api_monitor.abuse.configure(
        SecuritySettings(
            rate_alert_per_minute=5, rate_limit_per_minute=5, ingest_rate_limit_per_minute=30
        )
    )
    key, token = ApiKeyStore(api_monitor.database).create(
        name="pusher", role=Role.OPERATOR, scope=KeyScope(ingest_only=True)
    )
    ingest = {"Authorization": f"Bearer {token}"}
    push = {"plugin_id": "app", "metrics": {"cpu_usage": 5}}
    client.post(
        "/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"}, headers=ingest
    )
    codes = [
        client.post(
            "/api/advanced-monitoring/update-metrics", json=push, headers=ingest
        ).status_code
        for _ in range(29)
    ]
    assert codes == [200] * 29, "30 a minute: six times what an ordinary key may make here"
    assert security_alert(api_monitor, "rate_limit") is None, "within its allowance: no alert"
    over = client.post("/api/advanced-monitoring/update-metrics", json=push, headers=ingest)
    assert (over.status_code, "ingest_rate_limit_per_minute" in over.text) == (429, True)
    wait_until(lambda: security_alert(api_monitor, "rate_limit") is AlertLevel.WARNING)
    assert key.scope.ingest_only
