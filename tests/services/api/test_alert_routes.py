"""Alert listing with filters and paging; resolve and acknowledge over HTTP."""

from __future__ import annotations

import httpx
import pytest

from desktop_app.services.runtime import PluginMonitor

PUSH = "/api/advanced-monitoring/update-metrics"


def push(client: httpx.Client, monitor: PluginMonitor, plugin: str, **metrics: float) -> None:
    assert client.post(PUSH, json={"plugin_id": plugin, "metrics": metrics}).status_code == 200
    monitor.engine.flush().result(10)


@pytest.fixture
def alerts(admin: httpx.Client, api_monitor: PluginMonitor) -> None:
    """Five plugins: a critical CPU and a warning memory alert each; one resolved."""
    for n in range(5):
        plugin = f"p{n}"
        admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": plugin})
        push(admin, api_monitor, plugin, cpu_usage=99, memory_usage=90)
    push(admin, api_monitor, "p0", cpu_usage=10, memory_usage=90)


def test_open_alerts_and_history(admin: httpx.Client, alerts: None) -> None:
    open_alerts = admin.get("/api/advanced-monitoring/alerts").json()
    assert len(open_alerts["alerts"]) == 9 and open_alerts["next_cursor"] is None
    history = admin.get("/api/advanced-monitoring/alerts/history").json()
    assert len(history["alerts"]) == 10
    ids = [a["id"] for a in history["alerts"]]
    assert ids == sorted(ids, reverse=True), "newest first"


def test_filters(admin: httpx.Client, alerts: None) -> None:
    def ids(query: str) -> list[tuple[str, str, str]]:
        body = admin.get(f"/api/advanced-monitoring/alerts/history?{query}").json()
        return sorted((a["plugin_id"], a["rule"], a["status"]) for a in body["alerts"])

    assert ids("plugin=p0") == [("p0", "cpu", "resolved"), ("p0", "memory", "active")]
    assert len(ids("level=critical")) == 5
    assert len(ids("level=warning,critical")) == 10
    assert ids("status=resolved") == [("p0", "cpu", "resolved")]
    assert ids("since=2999-01-01T00:00:00Z") == []
    assert len(ids("until=2999-01-01T00:00:00")) == 10


def test_paging_with_a_cursor_visits_every_alert_once(admin: httpx.Client, alerts: None) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        query = "limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = admin.get(f"/api/advanced-monitoring/alerts/history?{query}").json()
        seen += [a["id"] for a in page["alerts"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 10 and len(set(seen)) == 10


@pytest.mark.parametrize("cursor", ["99999999999999999999", "9223372036854775808", "²", "0"])
def test_a_cursor_that_no_page_gave_is_a_422_naming_it(admin: httpx.Client, cursor: str) -> None:
    answer = admin.get(f"/api/advanced-monitoring/alerts/history?cursor={cursor}")
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "cursor", "problem": "use next_cursor from the previous page"}
    ]


def test_resolve_and_acknowledge_record_who_and_when(
    admin: httpx.Client, alerts: None, api_monitor: PluginMonitor
) -> None:
    first, second = admin.get("/api/advanced-monitoring/alerts?limit=2").json()["alerts"]
    acked = admin.post(
        f"/api/advanced-monitoring/alerts/{first['id']}/acknowledge", json={"comment": "on it"}
    ).json()
    assert acked["status"] == "acknowledged" and acked["comment"] == "on it"
    assert acked["acknowledged_by"].startswith("admin (key ")
    resolved = admin.post(f"/api/advanced-monitoring/alerts/{second['id']}/resolve").json()
    assert resolved["status"] == "resolved" and resolved["resolved_at"]
    stored = api_monitor.alerts.get(second["id"])
    assert stored is not None and stored.resolved_by == resolved["resolved_by"]
    missing = admin.post("/api/advanced-monitoring/alerts/99999/resolve")
    assert missing.status_code == 404 and missing.json()["detail"] == "no alert with id 99999"


def test_a_resolve_can_be_undone_and_every_change_is_in_the_timeline(
    admin: httpx.Client, alerts: None
) -> None:
    """What a remote console's alert detail and its Reopen read and do."""
    first = admin.get("/api/advanced-monitoring/alerts?limit=1").json()["alerts"][0]
    base = f"/api/advanced-monitoring/alerts/{first['id']}"
    admin.post(f"{base}/resolve")
    reopened = admin.post(f"{base}/reopen").json()
    assert reopened["status"] == "active"
    events = [entry["event"] for entry in admin.get(f"{base}/timeline").json()]
    assert events[-2:] == ["resolved", "reopened"] and events[0] == "raised"
    missing = admin.get("/api/advanced-monitoring/alerts/99999/timeline")
    assert missing.status_code == 404 and missing.json()["detail"] == "no alert 99999"


def test_an_alert_that_was_not_resolved_by_hand_cannot_be_reopened(
    admin: httpx.Client, alerts: None
) -> None:
    first = admin.get("/api/advanced-monitoring/alerts?limit=1").json()["alerts"][0]
    refused = admin.post(f"/api/advanced-monitoring/alerts/{first['id']}/reopen")
    assert refused.status_code == 409
    assert "cannot be reopened" in refused.json()["detail"]
