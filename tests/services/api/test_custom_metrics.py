"""Host extras and pushed custom metrics come back from metrics, analytics and
exports; the analyses' answers are described in /openapi.json."""

from __future__ import annotations

import csv
import io
import json
import time

import httpx
import pytest

from desktop_app.models.samples import Sample
from desktop_app.services.runtime import PluginMonitor

NOW = time.time()


@pytest.fixture(autouse=True)
def host_and_custom(admin: httpx.Client, api_monitor: PluginMonitor) -> None:
    """The system plugin's host extras as its collector stores them, and a
    plugin pushing a custom metric over the API."""
    api_monitor.ingest(
        [
            Sample(
                "system",
                NOW - 120 + i * 30,
                cpu_percent=20.0,
                extras={"load1": 0.5 + i, "swap_percent": 10.0, "data_disk_percent": 42.0},
            )
            for i in range(3)
        ]
    ).result(10)
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})
    for i, depth in enumerate((4, 8, 6)):
        answer = admin.post(
            "/api/advanced-monitoring/update-metrics",
            json={
                "plugin_id": "app",
                "timestamp": NOW - 60 + i * 10,
                "metrics": {"cpu_usage": 30.0, "custom": {"queue_depth": depth}},
            },
        )
        assert answer.status_code == 200, answer.text


def test_metrics_return_host_extras_and_custom_metrics(admin: httpx.Client) -> None:
    system = admin.get("/api/advanced-monitoring/metrics/system?hours=1").json()
    assert system["samples"][-1]["custom"] == {
        "data_disk_percent": 42.0,
        "load1": 2.5,
        "swap_percent": 10.0,
    }
    load = system["statistics"]["custom"]["load1"]
    assert load == {
        "average": 1.5,
        "minimum": 0.5,
        "maximum": 2.5,
        "current": 2.5,
        "samples": 3,
        "unit": "",
    }
    assert system["statistics"]["custom"]["swap_percent"]["unit"] == "%"
    app = admin.get("/api/advanced-monitoring/metrics/app?hours=1").json()
    assert [p["custom"] for p in app["samples"]] == [
        {"queue_depth": 4.0},
        {"queue_depth": 8.0},
        {"queue_depth": 6.0},
    ]
    assert app["statistics"]["custom"]["queue_depth"]["maximum"] == 8.0


def test_analytics_summarises_custom_metrics(admin: httpx.Client) -> None:
    report = admin.get("/api/advanced-monitoring/analytics/app?hours=1").json()
    assert report["custom"]["queue_depth"]["average"] == 6.0
    assert report["custom"]["queue_depth"]["current"] == 6.0
    host = admin.get("/api/advanced-monitoring/analytics/system?hours=1").json()
    assert set(host["custom"]) == {"load1", "swap_percent", "data_disk_percent"}


def test_exports_carry_custom_metrics(admin: httpx.Client) -> None:
    text = admin.get("/api/advanced-monitoring/export/system?hours=1&format=csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[-3:] == ["data_disk_percent", "load1", "swap_percent"]
    assert [row["load1"] for row in rows] == ["0.5", "1.5", "2.5"]
    items = json.loads(admin.get("/api/advanced-monitoring/export/app?hours=1").text)
    assert [item["custom"] for item in items] == [
        {"queue_depth": 4.0},
        {"queue_depth": 8.0},
        {"queue_depth": 6.0},
    ]


def test_openapi_describes_the_analyses(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path, model in (
        ("/api/advanced-monitoring/trends/{plugin_id}", "TrendsOut"),
        ("/api/advanced-monitoring/usage-patterns/{plugin_id}", "UsagePatternsOut"),
        ("/api/advanced-monitoring/analytics/{plugin_id}", "AnalyticsOut"),
    ):
        ok = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok == {"$ref": f"#/components/schemas/{model}"}
    analytics = schema["components"]["schemas"]["AnalyticsOut"]["properties"]
    assert {"history", "summary", "custom", "trends", "patterns", "forecasts"} <= set(analytics)
    trend = schema["components"]["schemas"]["TrendOut"]["properties"]["direction"]
    assert trend["enum"] == ["up", "down", "stable"]


def test_the_sample_schema_names_every_catalogue_column_and_nothing_else() -> None:
    """SampleOut spells its fields out for readable OpenAPI; the catalogue
    decides which they are."""
    from desktop_app.models.metrics import COLUMNS
    from desktop_app.services.api.schemas import SampleOut

    metric_fields = set(SampleOut.model_fields) - {"timestamp", "failed", "custom"}
    assert metric_fields == {metric.wire for metric in COLUMNS}
