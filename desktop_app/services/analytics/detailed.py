"""Detailed metrics of a window (R11): CPU, memory, response-time
percentiles, error rate, throughput, connections and I/O rates.

Response-time percentiles use the per-request times a plugin sent where
there are any in the window, else the samples' response times; they are
numpy's default (linear) percentiles of the raw values, so they cover the
part of the window whose raw samples are still kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop_app.models import timestamps
from desktop_app.models.samples import Sample
from desktop_app.services.analytics.buckets import Buckets
from desktop_app.services.analytics.custom import custom_summary
from desktop_app.services.analytics.history import History
from desktop_app.services.analytics.report import NAMES, Series, level_for
from desktop_app.services.storage.samples import SampleStore

PERCENTILES = (50, 95, 99)
RAW_HOURS = 24  # longer windows answer one point per bucket
RAW_POINTS = 10_000  # and so does a window holding more samples than this


@dataclass(frozen=True)
class DetailedWindow:
    """A window's series and statistics: the raw samples themselves where a
    window is short enough to draw them, else its buckets' averages."""

    resolution: str  # "raw", or the rollup level's name ("5m", "1h")
    samples: list[Sample]  # the raw samples (resolution "raw")
    buckets: Buckets  # the window's buckets (every resolution)
    statistics: dict[str, object]


def detailed_window(
    history: History, plugin_id: int, plugin_key: str, *, hours: int, until: float
) -> DetailedWindow:
    since = until - hours * 3600
    level = level_for(hours)
    buckets = history.buckets(plugin_id, since, until, level)
    store = history.samples
    statistics = detailed_statistics(
        Series.of(buckets, level.step),
        response_time_values(store, plugin_id, since, until),
        since,
        until,
    )
    statistics["custom"] = custom_summary(store, plugin_id, since, until)
    if hours <= RAW_HOURS and int(buckets.samples.sum()) <= RAW_POINTS:
        raw = store.window(plugin_id, plugin_key, since, until)
        return DetailedWindow("raw", raw, buckets, statistics)
    return DetailedWindow(level.name, [], buckets, statistics)


def _average_and_maximum(series: Series, name: str) -> dict[str, float | None]:
    average, _minimum, maximum = series.window_stats(NAMES.index(name))
    return {"average": average, "maximum": maximum}


def _total(series: Series, name: str) -> float:
    return float(series.total[:, NAMES.index(name)].sum())


def response_time_values(
    samples: SampleStore, plugin_id: int, since: float, until: float
) -> tuple[str, list[float]]:
    """('requests', per-request times) if the plugin sent any, else ('samples', …)."""
    window = (plugin_id, timestamps.to_micros(since), timestamps.to_micros(until))
    with samples.reading() as reader:
        found = reader.response_times(*window)
        if found:
            return "requests", found
        return "samples", reader.sample_response_times(*window)


def detailed_statistics(
    series: Series, response_times: tuple[str, list[float]], since: float, until: float
) -> dict[str, object]:
    first = series.starts[0] / 1_000_000 if len(series.starts) else until
    seconds = max(until - max(since, first), 1.0)
    source, values = response_times
    percentiles = (
        dict(zip(("p50", "p95", "p99"), np.percentile(values, PERCENTILES).tolist(), strict=True))
        if values
        else {"p50": None, "p95": None, "p99": None}
    )
    requests, errors = _total(series, "request_count"), _total(series, "error_count")
    return {
        "cpu_usage": _average_and_maximum(series, "cpu_usage"),
        "memory_rss": _average_and_maximum(series, "memory_rss"),
        "memory_vms": _average_and_maximum(series, "memory_vms"),
        "response_time": {
            **percentiles,
            **_average_and_maximum(series, "response_time"),
            "source": source if values else None,
        },
        "error_rate": 100.0 * errors / requests if requests > 0 else None,
        "errors": errors,
        "requests": requests,
        "throughput": requests / seconds,
        "connections_active": _average_and_maximum(series, "connections_active"),
        "connections_total": _average_and_maximum(series, "connections_total"),
        "disk_read_bytes_per_second": _total(series, "disk_read_bytes") / seconds,
        "disk_write_bytes_per_second": _total(series, "disk_write_bytes") / seconds,
        "net_recv_bytes_per_second": _total(series, "net_recv_bytes") / seconds,
        "net_sent_bytes_per_second": _total(series, "net_sent_bytes") / seconds,
    }
