"""Old or out-of-order data never changes the present: a back-filled week is
stored but leaves a true alert open, and a sample dated in the future is
refused before anything is stored (real server, real WebSocket client)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from desktop_app.models.samples import Sample
from desktop_app.services.api import ingest
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import NO_API, push, stored_rows, wait_until
from tests.services.api.test_stream import alerts_received

PUSH = "/api/advanced-monitoring/update-metrics"
BATCH = "/api/advanced-monitoring/update-metrics/batch"
COLUMNS = "/api/advanced-monitoring/update-metrics/columns"


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


def test_a_back_filled_week_of_normal_samples_leaves_an_open_critical_alert_open(
    admin: httpx.Client, api_monitor: PluginMonitor, stream_url: str
) -> None:
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})
    now = time.time()
    with connect(stream_url, open_timeout=5) as ws:
        json.loads(ws.recv(timeout=5))
        assert admin.post(PUSH, json={"plugin_id": "app", "metrics": {"cpu_usage": 99}}).is_success
        api_monitor.engine.flush().result(10)
        week = [
            {"plugin_id": "app", "timestamp": iso(now - hours * 3600), "metrics": {"cpu_usage": 10}}
            for hours in range(168, 0, -1)
        ]
        assert admin.post(BATCH, json={"samples": week}).json()["samples"] == 168
        api_monitor.engine.flush().result(10)
        received = alerts_received(ws)
    assert [(m["event"], m["alert"]["level"]) for m in received] == [("raised", "critical")]
    (alert,) = api_monitor.engine.open_alerts()
    assert alert.rule == "cpu" and alert.level.label == "critical"
    assert (
        api_monitor.samples.count([api_monitor.registry.ids()["app"]], now - 8 * 86400, now + 60)
        == 169
    )
    engine = api_monitor.health().worker("alert-engine")
    assert engine is not None and engine.details["late_samples"] == 168


def test_a_back_filled_incident_is_recorded_as_historical_and_changes_nothing_now(
    admin: httpx.Client, api_monitor: PluginMonitor, stream_url: str
) -> None:
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})
    notified: list[object] = []
    api_monitor.bus.subscribe(notified.append)
    now = time.time()
    assert admin.post(PUSH, json={"plugin_id": "app", "metrics": {"cpu_usage": 99}}).is_success
    api_monitor.engine.flush().result(10)
    (live,) = api_monitor.engine.open_alerts()
    last_week = [  # a memory incident last week, then a critical CPU still high at its end
        {"plugin_id": "app", "timestamp": iso(now - 7 * 86400 + minute * 60), "metrics": metrics}
        for minute, metrics in enumerate(
            [
                {"memory_usage": 50},
                {"memory_usage": 95},
                {"memory_usage": 96},
                {"memory_usage": 40},
                {"cpu_usage": 99, "memory_usage": 40},
            ]
        )
    ]
    with connect(stream_url, open_timeout=5) as ws:
        json.loads(ws.recv(timeout=5))
        answer = admin.post(BATCH, json={"samples": last_week, "backfill": True})
        assert answer.status_code == 200, answer.text
        api_monitor.engine.flush().result(10)
        assert alerts_received(ws) == [], "history is never streamed"
    assert len(notified) == 1, "only the live raise was published"
    assert api_monitor.engine.open_alerts() == [live], "the present stands"
    history = admin.get("/api/advanced-monitoring/alerts/history").json()["alerts"]
    shown = sorted((a["rule"], a["level"], a["status"], a["historical"]) for a in history)
    assert shown == [
        ("cpu", "critical", "active", False),
        ("cpu", "critical", "resolved", True),
        ("memory", "critical", "resolved", True),
    ]
    memory = next(a for a in history if a["rule"] == "memory")
    assert memory["message"].startswith("Memory usage back to 40 %")
    assert datetime.fromisoformat(memory["started_at"]).timestamp() < now - 6 * 86400
    cpu = next(a for a in history if a["historical"] and a["rule"] == "cpu")
    assert cpu["resolved_by"] == "system (end of the back-filled history)"
    undated = {"samples": [{"plugin_id": "app", "metrics": {"cpu_usage": 5}}], "backfill": True}
    refused = admin.post(BATCH, json=undated)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "samples.0.timestamp"


def test_a_sample_from_the_future_is_refused_with_the_reason(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})
    future = {"plugin_id": "app", "timestamp": "2099-01-01T00:00:00Z", "metrics": {"cpu_usage": 5}}
    one = admin.post(PUSH, json=future)
    assert one.status_code == 422
    assert one.json()["detail"] == "a sample is dated in the future"
    (error,) = one.json()["errors"]
    assert error["field"] == "timestamp"
    assert (
        "more than 300 s ahead of this monitor's clock (alerts.max_clock_skew_seconds)"
        in (error["problem"])
    )
    now = {"plugin_id": "app", "metrics": {"cpu_usage": 5}}
    batch = admin.post(BATCH, json={"samples": [now, future]})
    assert batch.status_code == 422
    assert [e["field"] for e in batch.json()["errors"]] == ["samples.1.timestamp"]
    assert api_monitor.registry.get("app").last_seen is None  # type: ignore[union-attr]
    near = {**future, "timestamp": iso(time.time() + 60)}
    assert admin.post(PUSH, json=near).status_code == 200, "within the allowed skew"


def test_after_a_restart_an_old_sample_still_changes_nothing(data_dir: Path) -> None:
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as first:
        first.start(monitoring=False)
        push(first, cpu_percent=99)
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as second:
        second.start(monitoring=False)
        second.ingest([Sample("app", 1_600_000_000.0, cpu_percent=1.0)]).result(10)
        second.engine.flush().result(10)
        assert [a.rule for a in second.engine.open_alerts()] == ["cpu"]


def test_two_pushes_for_one_moment_merge_field_by_field(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})
    moment = iso(time.time() - 10)

    def send(metrics: dict[str, object]) -> None:
        body = {"plugin_id": "app", "timestamp": moment, "metrics": metrics}
        assert admin.post(PUSH, json=body).status_code == 200

    send({"cpu_usage": 50, "request_count": 10})
    send({"memory_usage": 60, "failed": True})
    send({"cpu_usage": 70})
    send({"cpu_usage": 70})  # a retry changes nothing
    rows = admin.get("/api/advanced-monitoring/metrics/app?hours=1").json()["samples"]
    assert [(r["cpu_usage"], r["memory_usage"], r["request_count"], r["failed"]) for r in rows] == [
        (70, 60, 10, True)
    ]


def test_a_backfill_waits_while_the_engine_is_behind_and_the_present_never_does(
    admin: httpx.Client, api_monitor: PluginMonitor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "HISTORY_BACKLOG", 1_000)  # 50,000 samples are then a backlog
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})
    start = int(time.time()) - 2 * 86_400  # whole seconds: the body stays under 1 MiB

    def history(offset: int) -> dict[str, object]:
        times = [start + offset + i for i in range(50_000)]
        return {
            "plugin_id": "app",
            "timestamps": times,
            "metrics": {"cpu_usage": [96.0 if i % 600 < 30 else 20.0 for i in range(50_000)]},
            "backfill": True,
        }

    assert admin.post(COLUMNS, json=history(0)).status_code == 200
    waiting = admin.post(COLUMNS, json=history(50_000))
    assert waiting.status_code == 503, waiting.text
    assert waiting.headers["retry-after"] == str(ingest.HISTORY_RETRY_SECONDS)
    assert "the alert engine is still evaluating" in waiting.json()["detail"]
    live = admin.post(PUSH, json={"plugin_id": "app", "metrics": {"cpu_usage": 10}})
    assert live.status_code == 200, "the present is never refused"
    wait_until(lambda: api_monitor.engine.queued_samples == 0, 60, "the engine caught up")
    assert admin.post(COLUMNS, json=history(50_000)).status_code == 200
    stored = stored_rows(api_monitor, "SELECT count(*) FROM samples")[0][0]
    assert stored == 100_001, "the refused block was not half-stored"
