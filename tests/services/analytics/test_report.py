"""The analyses on designed histories: peak hour and weekday, summary,
response-time percentiles, forecasts in the analytics report."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from desktop_app.models.plugins import PluginSource
from desktop_app.models.rollups import FIVE_MINUTES
from desktop_app.models.samples import Sample
from desktop_app.services.analytics.detailed import detailed_statistics, response_time_values
from desktop_app.services.analytics.history import History
from desktop_app.services.analytics.report import AnalyticsService, Series
from desktop_app.services.runtime import PluginMonitor

SEOUL = ZoneInfo("Asia/Seoul")
HOUR = 3600.0
DAY = 86_400.0


def service(monitor: PluginMonitor) -> AnalyticsService:
    return AnalyticsService(History(monitor.samples), monitor.thresholds.effective, lambda: SEOUL)


def register(monitor: PluginMonitor) -> int:
    monitor.registry.register("app", "app", PluginSource.API)
    plugin_id = monitor.registry.id_for("app")
    assert plugin_id is not None
    return plugin_id


def test_the_designed_peak_hour_and_weekday_are_found(monitor: PluginMonitor) -> None:
    plugin_id = register(monitor)
    now = time.time() // HOUR * HOUR
    samples = []
    for ts in np.arange(now - 28 * DAY, now, 600.0):
        local = datetime.fromtimestamp(ts, SEOUL)
        requests = 10.0 + (50 if local.hour == 14 else 0) + (20 if local.weekday() == 2 else 0)
        requests -= 5 if local.hour == 4 else 0
        samples.append(Sample("app", float(ts), request_count=requests, cpu_percent=5.0))
    monitor.ingest(samples).result(30)
    monitor.rollups.run_once(now)
    patterns = service(monitor).usage_patterns(plugin_id, days=28, now=now)
    assert patterns["timezone"] == "Asia/Seoul"
    assert patterns["usage_metric"] == "request_count"
    requests = patterns["metrics"]["request_count"]  # type: ignore[index]
    assert requests["peak_hours"][0] == 14
    assert requests["quiet_hours"][0] == 4
    assert requests["busiest_day"] == "Wednesday"
    assert requests["hour_of_day"][14] == pytest.approx(60 + 20 / 7)
    assert len(requests["weeks"]) in (4, 5)
    heatmap = patterns["heatmap"]
    assert heatmap[2][14] == pytest.approx(80.0)  # Wednesday, 14:00
    assert heatmap[0][3] == pytest.approx(10.0)


def test_summary_and_forecast_in_the_analytics_report(monitor: PluginMonitor) -> None:
    plugin_id = register(monitor)
    now = time.time()
    hours = np.arange(-24, 0, 1 / 60)
    samples = [
        Sample("app", now + h * 3600, memory_percent=79.0 + 2.0 * h, cpu_percent=20.0 + (i % 3))
        for i, h in enumerate(hours)
    ]
    monitor.ingest(samples).result(30)
    report = service(monitor).analytics(plugin_id, "app", hours=24, now=now)
    memory = report["summary"]["memory_usage"]  # type: ignore[index]
    values = np.array([s.memory_percent for s in samples])
    assert memory["average"] == pytest.approx(values.mean())
    assert memory["minimum"] == values.min() and memory["maximum"] == values.max()
    assert memory["current"] == samples[-1].memory_percent
    assert report["resolution"] == "5m"
    assert report["trends"]["memory_usage"]["direction"] == "up"  # type: ignore[index]
    assert report["trends"]["cpu_usage"]["direction"] == "stable"  # type: ignore[index]
    forecast = next(f for f in report["forecasts"] if f["metric"] == "memory_usage")  # type: ignore[union-attr]
    assert forecast["message"] == "Memory usage reaches 85 % in about 3 h"
    history = report["history"]
    assert len(history["timestamps"]) in (288, 289)  # type: ignore[index]
    start = history["timestamps"][5]  # type: ignore[index]
    inside = [s.cpu_percent for s in samples if start <= s.ts < start + 300]
    assert history["metrics"]["cpu_usage"]["p95"][5] == np.percentile(inside, 95)  # type: ignore[index]


@pytest.mark.parametrize("per_request", [True, False])
def test_response_time_percentiles_equal_numpys(monitor: PluginMonitor, per_request: bool) -> None:
    plugin_id = register(monitor)
    now = time.time()
    rng = np.random.default_rng(5)
    samples = []
    for i in range(500):
        times = rng.gamma(2, 0.05, 8).tolist()
        samples.append(
            Sample(
                "app",
                now - 3600 + i * 7,
                response_time=float(np.mean(times)),
                request_count=8,
                error_count=float(i % 4 == 0),
                response_times=times if per_request else [],
            )
        )
    monitor.ingest(samples).result(30)
    since = now - 2 * HOUR
    history = History(monitor.samples)
    series = Series.of(history.buckets(plugin_id, since, now, FIVE_MINUTES), FIVE_MINUTES.step)
    stats = detailed_statistics(
        series, response_time_values(monitor.samples, plugin_id, since, now), since, now
    )
    source = (
        [t for s in samples for t in s.response_times]
        if per_request
        else [s.response_time for s in samples]
    )
    expected = np.percentile(source, [50, 95, 99]).tolist()
    rt = stats["response_time"]
    assert [rt["p50"], rt["p95"], rt["p99"]] == expected  # type: ignore[index]
    assert rt["source"] == ("requests" if per_request else "samples")  # type: ignore[index]
    assert stats["error_rate"] == pytest.approx(100 * 125 / 4000)
    assert stats["requests"] == 4000
