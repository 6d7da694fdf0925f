"""Pushing metrics: acknowledged means stored; batches; reading a window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from desktop_app.services.runtime import PluginMonitor
from tests.helpers import stored_rows

PUSH = "/api/advanced-monitoring/update-metrics"
BATCH = "/api/advanced-monitoring/update-metrics/batch"


@pytest.fixture(autouse=True)
def registered(admin: httpx.Client) -> None:
    for plugin in ("app", "db"):
        admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": plugin})


def stored(monitor: PluginMonitor, query: str) -> list[tuple[object, ...]]:
    return stored_rows(monitor, query)


def test_the_guides_push_is_stored_before_the_answer(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    metrics = {
        "cpu_usage": 45.2,
        "memory_usage": 67.8,
        "response_time": 1.2,
        "error_count": 3,
        "request_count": 150,
    }
    response = admin.post(PUSH, json={"plugin_id": "app", "metrics": metrics})
    assert response.status_code == 200
    assert response.json()["status"] == "stored"
    rows = stored(
        api_monitor,
        "SELECT cpu_percent, memory_percent, response_time, error_count, "
        "request_count FROM samples_readable WHERE plugin = 'app'",
    )
    assert rows == [(45.2, 67.8, 1.2, 3.0, 150.0)]


def test_detailed_metrics_and_custom_values(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    body = {
        "plugin_id": "app",
        "timestamp": "2026-01-02T03:04:05Z",
        "metrics": {
            "memory_rss": 1000,
            "memory_vms": 2000,
            "response_times": [0.1, 0.3],
            "connections_active": 4,
            "connections_total": 9,
            "disk_read_bytes": 10,
            "net_sent_bytes": 20,
            "custom": {"queue_depth": 7},
        },
    }
    assert admin.post(PUSH, json=body).status_code == 200
    assert stored(
        api_monitor,
        "SELECT time_utc, memory_rss, response_time, connections_total FROM samples_readable "
        "WHERE plugin = 'app'",
    ) == [("2026-01-02T03:04:05.000Z", 1000.0, 0.2, 9.0)]
    assert stored(
        api_monitor,
        "SELECT name, value FROM sample_extras "
        "WHERE plugin_id = (SELECT id FROM plugins WHERE key = 'app')",
    ) == [("queue_depth", 7.0)]
    assert stored(api_monitor, "SELECT idx, seconds FROM response_times") == [(0, 0.1), (1, 0.3)]


def test_a_batch_of_several_plugins_and_moments(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    samples = [
        {
            "plugin_id": plugin,
            "timestamp": (start + timedelta(seconds=i)).isoformat(),
            "metrics": {"cpu_usage": float(i)},
        }
        for i in range(100)
        for plugin in ("app", "db")
    ]
    response = admin.post(BATCH, json={"samples": samples})
    assert response.json() == {
        "status": "stored",
        "plugin_id": None,
        "samples": 200,
        "timestamp": None,
    }
    assert stored(
        api_monitor,
        "SELECT plugin, count(*) FROM samples_readable WHERE plugin != 'security' GROUP BY plugin",
    ) == [
        ("app", 100),
        ("db", 100),
    ]


def test_rapid_pushes_for_one_plugin_never_overwrite_each_other(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    for i in range(200):
        admin.post(PUSH, json={"plugin_id": "app", "metrics": {"cpu_usage": float(i)}})
    assert stored(api_monitor, "SELECT count(*) FROM samples_readable WHERE plugin = 'app'") == [
        (200,)
    ]


def test_an_alert_raised_by_a_push_is_open_when_the_engine_has_run(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    admin.post(PUSH, json={"plugin_id": "app", "metrics": {"cpu_usage": 97}})
    api_monitor.engine.flush().result(10)
    alerts = admin.get("/api/advanced-monitoring/alerts").json()["alerts"]
    assert [(a["plugin_id"], a["rule"], a["level"]) for a in alerts] == [("app", "cpu", "critical")]


def test_metrics_window_returns_the_stored_rows_oldest_first(admin: httpx.Client) -> None:
    now = datetime.now(UTC)
    samples = [
        {
            "plugin_id": "app",
            "timestamp": (now - timedelta(hours=h)).isoformat(),
            "metrics": {"cpu_usage": float(h)},
        }
        for h in (30, 5, 1)
    ]
    admin.post(BATCH, json={"samples": samples})
    day = admin.get("/api/advanced-monitoring/metrics/app?hours=24").json()
    assert [s["cpu_usage"] for s in day["samples"]] == [5.0, 1.0]
    week = admin.get("/api/advanced-monitoring/metrics/app?hours=168").json()
    assert [s["cpu_usage"] for s in week["samples"]] == [30.0, 5.0, 1.0]
    assert admin.get("/api/advanced-monitoring/metrics/ghost").status_code == 404
