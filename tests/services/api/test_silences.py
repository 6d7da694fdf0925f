"""Silences: alerts they match are recorded, shown and streamed (marked
silenced) but not notified; when the silence ends, what is still open is
told once (real server, real WebSocket client)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import httpx
from websockets.sync.client import connect

from desktop_app.models.alerts import AlertEvent
from desktop_app.services.runtime import PluginMonitor
from tests.services.api.test_stream import alerts_received, send

URL = "/api/advanced-monitoring/silences"
PUSH = "/api/advanced-monitoring/update-metrics"


def push(admin: httpx.Client, monitor: PluginMonitor, **metrics: float) -> None:
    assert admin.post(PUSH, json={"plugin_id": "app", "metrics": metrics}).status_code == 200
    monitor.engine.flush().result(10)


def test_a_silence_keeps_the_record_stops_notifications_and_ends_on_time(
    admin: httpx.Client, api_monitor: PluginMonitor, stream_url: str
) -> None:
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})
    notified: list[AlertEvent] = []
    api_monitor.bus.subscribe(lambda event: notified.append(event) if event.notify else None)
    made = admin.post(
        URL,
        json={
            "plugin_id": "app",
            "level": "warning",
            "duration_minutes": 0.05,
            "comment": "deploy",
        },
    )
    assert made.status_code == 201, made.text
    silence = made.json()
    assert (silence["plugin_id"], silence["level"], silence["active"]) == ("app", "warning", True)
    assert silence["created_by"].startswith("admin (key ")
    with connect(stream_url, open_timeout=5) as ws, connect(stream_url, open_timeout=5) as loud:
        json.loads(ws.recv(timeout=5))
        json.loads(loud.recv(timeout=5))
        assert send(loud, {"type": "filter", "silenced": False})["silenced"] is False
        push(admin, api_monitor, memory_usage=90)  # a warning: silenced
        (streamed,) = alerts_received(ws)
        assert alerts_received(loud) == []
        assert notified == []
        assert (streamed["silenced"], streamed["notify"]) == (True, False)
        assert [a.rule for a in api_monitor.engine.open_alerts()] == ["memory"], "recorded"
        push(admin, api_monitor, cpu_usage=99)  # critical: above the silenced level
        assert [e.alert.rule for e in notified] == ["cpu"]
        listed = admin.get("/api/advanced-monitoring/alerts").json()["alerts"]
        assert {(a["rule"], a["silenced"]) for a in listed} == {("memory", True), ("cpu", False)}
        told: list[dict[str, object]] = []
        deadline = time.monotonic() + 8  # the silence ends at 3 s; the engine looks each second
        while not told and time.monotonic() < deadline:
            told = [m for m in alerts_received(ws) if m["event"] == "unsilenced"]
    assert [(m["alert"]["rule"], m["notify"]) for m in told] == [("memory", True)]  # type: ignore[index]
    assert [e.kind.value for e in notified] == ["raised", "unsilenced"]
    assert admin.get(URL).json() == [], "an ended silence is no longer listed"


def test_silences_are_checked_listed_and_removed(admin: httpx.Client, base_url: str) -> None:
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    both = admin.post(URL, json={"ends_at": later, "duration_minutes": 5, "comment": "x"})
    assert both.status_code == 422
    assert "not both" in both.text
    no_comment = admin.post(URL, json={"duration_minutes": 5, "comment": " "})
    assert no_comment.status_code == 422 and "needs a comment" in no_comment.text
    past = admin.post(URL, json={"ends_at": "2020-01-01T00:00:00Z", "comment": "old"})
    assert past.status_code == 422 and "in the future" in past.text
    made = admin.post(URL, json={"rule": "cpu", "ends_at": later, "comment": "window"}).json()
    with httpx.Client(base_url=base_url) as anonymous:
        assert [s["id"] for s in anonymous.get(URL).json()] == [made["id"]], "viewers read"
        assert anonymous.post(URL, json={"duration_minutes": 5, "comment": "x"}).status_code == 401
    removed = admin.delete(f"{URL}/{made['id']}")
    assert removed.status_code == 200 and removed.json()["active"] is False
    assert admin.delete(f"{URL}/999").status_code == 404
    assert admin.get(URL).json() == []
