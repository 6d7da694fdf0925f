"""Analyses and exports over HTTP: shapes, headers, streaming, unknown plugins."""

from __future__ import annotations

import csv
import io
import json
import time

import httpx
import pytest

from desktop_app.models.samples import Sample
from desktop_app.services.runtime import PluginMonitor

BATCH = "/api/advanced-monitoring/update-metrics/batch"
NOW = time.time()


@pytest.fixture(autouse=True)
def history(admin: httpx.Client) -> None:
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})
    samples = [
        {
            "plugin_id": "app",
            "timestamp": NOW - (100 - i) * 60,
            "metrics": {
                "cpu_usage": 10.0 + i * 0.5,
                "request_count": 100,
                "error_count": 5,
                "response_time": 0.1,
            },
        }
        for i in range(100)
    ]
    assert admin.post(BATCH, json={"samples": samples}).status_code == 200


def test_metrics_answer_statistics_and_buckets_beyond_a_day(admin: httpx.Client) -> None:
    day = admin.get("/api/advanced-monitoring/metrics/app?hours=24").json()
    assert day["resolution"] == "raw" and len(day["samples"]) == 100
    stats = day["statistics"]
    assert stats["error_rate"] == pytest.approx(5.0)
    assert stats["requests"] == 10_000
    assert stats["response_time"]["p95"] == pytest.approx(0.1)
    week = admin.get("/api/advanced-monitoring/metrics/app?hours=168").json()
    assert week["resolution"] == "1h" and 2 <= len(week["samples"]) <= 3
    assert week["statistics"]["cpu_usage"] == stats["cpu_usage"]


def test_trends_and_analytics(admin: httpx.Client) -> None:
    trends = admin.get("/api/advanced-monitoring/trends/app?hours=3").json()
    assert trends["trends"]["cpu_usage"]["direction"] == "up"
    assert trends["trends"]["cpu_usage"]["strength"] == "strong"
    assert trends["trends"]["error_rate"]["direction"] == "stable"
    report = admin.get("/api/advanced-monitoring/analytics/app?hours=24").json()
    assert report["summary"]["cpu_usage"]["current"] == 59.5
    assert report["summary"]["throughput"]["unit"] == "requests/s"


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("csv", "text/csv; charset=utf-8"), ("json", "application/json")]
)
def test_exports_stream_with_a_file_name(admin: httpx.Client, fmt: str, content_type: str) -> None:
    with admin.stream(
        "GET", f"/api/advanced-monitoring/export/app?hours=24&format={fmt}"
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == content_type
        disposition = response.headers["content-disposition"]
        assert disposition.startswith('attachment; filename="app-24h-')
        assert disposition.endswith(f'.{fmt}"')
        assert "content-length" not in response.headers, "streamed, not built whole"
        body = response.read().decode()
    rows = list(csv.DictReader(io.StringIO(body))) if fmt == "csv" else json.loads(body)
    assert len(rows) == 100
    assert float(rows[-1]["cpu_percent"]) == 59.5


def test_unknown_plugins_are_404(admin: httpx.Client) -> None:
    for path in ("trends", "usage-patterns", "analytics", "export"):
        response = admin.get(f"/api/advanced-monitoring/{path}/ghost")
        assert response.status_code == 404, path
        assert "ghost" in response.json()["detail"]


def test_health_reports_the_rollup_worker(admin: httpx.Client, api_monitor: PluginMonitor) -> None:
    api_monitor.rollups.run_once(time.time() + 3600)
    rollups = admin.get("/api/system/health").json()["rollups"]
    assert rollups["buckets_written"] > 0
    assert rollups["last_pass_at"] is not None and rollups["last_error"] is None


def test_a_dense_day_answers_buckets_instead_of_every_sample(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    api_monitor.ingest(
        [Sample("app", NOW - 20_000 + i * 1.5, cpu_percent=50.0) for i in range(12_000)]
    ).result(30)
    day = admin.get("/api/advanced-monitoring/metrics/app?hours=24").json()
    assert day["resolution"] == "5m"
    assert sum(1 for p in day["samples"] if p["cpu_usage"] is not None) <= 24 * 12 + 1


def test_a_plugin_without_history_gets_empty_analyses(admin: httpx.Client) -> None:
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "quiet"})
    for path in ("analytics/quiet?hours=2160", "trends/quiet", "usage-patterns/quiet?days=90"):
        response = admin.get(f"/api/advanced-monitoring/{path}")
        assert response.status_code == 200, path
    report = admin.get("/api/advanced-monitoring/analytics/quiet").json()
    assert report["summary"] == {} and report["trends"] == {} and report["forecasts"] == []
    assert report["history"] == {"timestamps": [], "metrics": {}}
    window = admin.get("/api/advanced-monitoring/metrics/quiet?hours=2160").json()
    assert window["samples"] == [] and window["statistics"]["throughput"] == 0.0
