"""Rollups as samples age: equal to the raw aggregates they replace, built
incrementally, recomputed for late samples; retention deletes exactly what
has expired."""

from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np
import pytest

from desktop_app.models.plugins import PluginSource
from desktop_app.models.rollups import FIVE_MINUTES, LEVELS, ONE_HOUR
from desktop_app.models.samples import Sample
from desktop_app.services.analytics.buckets import summarise
from desktop_app.services.analytics.history import History
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import stored_rows

HOUR = 3600.0
DAY = 86_400.0


def fill(monitor: PluginMonitor, start: float, end: float, step: float = 30.0) -> list[Sample]:
    if monitor.registry.get("app") is None:
        monitor.registry.register("app", "app", PluginSource.API)
    rng = np.random.default_rng(int(start))
    samples = [
        Sample(
            "app",
            float(ts),
            cpu_percent=float(rng.uniform(0, 100)),
            memory_rss=float(rng.uniform(1e8, 2e8)),
            response_time=None if i % 7 == 0 else float(rng.gamma(2, 0.1)),
            request_count=float(rng.integers(0, 50)),
            failed=i % 11 == 0,
        )
        for i, ts in enumerate(np.arange(start, end, step))
    ]
    monitor.ingest(samples).result(30)
    return samples


def raw_sql(monitor: PluginMonitor, step: int) -> list[tuple[float, ...]]:
    return stored_rows(
        monitor,
        "SELECT ts / :us * :us, count(*), sum(CASE WHEN failed THEN 1 ELSE 0 END), "
        "count(cpu_percent), avg(cpu_percent), min(cpu_percent), max(cpu_percent), "
        "count(response_time), sum(response_time), max(memory_rss) "
        "FROM samples GROUP BY ts / :us ORDER BY 1",
        us=step * 1_000_000,
    )


def stored(monitor: PluginMonitor, step: int) -> list[tuple[float, ...]]:
    return stored_rows(
        monitor,
        "SELECT bucket, samples, failed, cpu_percent_count, "
        "cpu_percent_sum / cpu_percent_count, cpu_percent_min, cpu_percent_max, "
        "response_time_count, response_time_sum, memory_rss_max "
        "FROM rollups WHERE step = :step ORDER BY bucket",
        step=step,
    )


@pytest.mark.parametrize("level", LEVELS, ids=lambda level: level.name)
def test_rollups_equal_the_raw_aggregates(monitor: PluginMonitor, level: object) -> None:
    now = time.time() // DAY * DAY
    fill(monitor, now - 2 * DAY - 17 * 60 - 7, now)  # starts mid-hour: chunks end on hours
    monitor.rollups.run_once(now + 1000)
    step = level.step  # type: ignore[attr-defined]
    expected, got = raw_sql(monitor, step), stored(monitor, step)
    assert len(got) == len(expected) == math.ceil((2 * DAY + 17 * 60 + 7) / step)
    for want, have in zip(expected, got, strict=True):
        assert want[:4] == have[:4]
        assert np.allclose(want[4:], have[4:], equal_nan=True)


def test_a_window_from_rollups_equals_one_from_raw_samples(monitor: PluginMonitor) -> None:
    now = time.time() // DAY * DAY
    fill(monitor, now - 3 * DAY, now)
    monitor.rollups.run_once(now + 1000)
    history = History(monitor.samples)
    plugin_id = monitor.registry.id_for("app")
    assert plugin_id is not None
    since, until = now - 2.3 * DAY + 17, now - 1234.5  # both edges inside a bucket
    raw = history.raw(plugin_id, since, until)
    for level in LEVELS:
        mixed = history.buckets(plugin_id, since, until, level)
        direct = summarise(raw.ts, raw.values, raw.failed, level.step_us)
        assert np.array_equal(mixed.starts, direct.starts)
        assert np.array_equal(mixed.count, direct.count)
        assert np.allclose(mixed.total, direct.total, equal_nan=True)
        assert np.array_equal(mixed.minimum, direct.minimum, equal_nan=True)
        assert np.array_equal(mixed.maximum, direct.maximum, equal_nan=True)
        assert np.array_equal(mixed.p95, direct.p95, equal_nan=True)


def test_passes_are_incremental(monitor: PluginMonitor) -> None:
    now = time.time() // DAY * DAY
    fill(monitor, now - DAY, now - HOUR)
    first = monitor.rollups.run_once(now).buckets_written
    assert first == (DAY - HOUR) / FIVE_MINUTES.step + (DAY - HOUR) / ONE_HOUR.step
    again = monitor.rollups.run_once(now).buckets_written
    assert again == first, "nothing already rolled up is read again"
    fill(monitor, now - HOUR, now)
    third = monitor.rollups.run_once(now + 1000).buckets_written
    assert third - first == HOUR / FIVE_MINUTES.step + 1


def test_a_late_sample_recomputes_its_buckets(monitor: PluginMonitor) -> None:
    now = time.time() // DAY * DAY
    fill(monitor, now - DAY, now)
    monitor.rollups.run_once(now + 1000)
    late = Sample("app", now - 12 * HOUR + 1, cpu_percent=1000.0)
    monitor.ingest([late]).result(10)
    stats = monitor.rollups.run_once(now + 1000)
    assert stats.recomputed == len(LEVELS)
    for level in LEVELS:
        assert np.allclose(
            np.array(stored(monitor, level.step), dtype=float),
            np.array(raw_sql(monitor, level.step), dtype=float),
        )


def test_retention_deletes_exactly_what_has_expired(monitor: PluginMonitor) -> None:
    now = time.time() // DAY * DAY
    fill(monitor, now - 10 * DAY, now, step=60.0)
    monitor.rollups.retention = replace(
        monitor.rollups.retention,
        raw_retention_days=3,
        rollup_5m_retention_days=5,
        rollup_1h_retention_days=8,
    )
    stats = monitor.rollups.run_once(now)
    oldest_raw = stored_rows(monitor, "SELECT min(ts) FROM samples")[0][0] / 1e6
    raw_left = stored_rows(monitor, "SELECT count(*) FROM samples")[0][0]
    oldest = {
        step: bucket / 1e6
        for step, bucket in stored_rows(
            monitor, "SELECT step, min(bucket) FROM rollups GROUP BY step"
        )
    }
    assert oldest_raw == now - 3 * DAY
    assert raw_left == 3 * DAY / 60
    assert stats.raw_deleted == 7 * DAY / 60
    assert oldest == {300: now - 5 * DAY, 3600: now - 8 * DAY}
    assert stats.rollups_deleted == 5 * DAY / 300 + 2 * DAY / 3600


def test_gaps_in_the_history_are_stepped_over(monitor: PluginMonitor) -> None:
    now = time.time() // DAY * DAY
    fill(monitor, 201_600.0, 201_600.0 + 2 * HOUR)  # January 1970: rolled up, then expired
    fill(monitor, now - 20 * DAY, now - 20 * DAY + 3 * HOUR)
    fill(monitor, now - DAY, now)
    stats = monitor.rollups.run_once(now + 1000)
    assert stats.raw_deleted == 2 * HOUR / 30
    assert stats.rollups_deleted == 2 * HOUR / 300 + 2 * HOUR / 3600
    for level in LEVELS:
        expected, got = raw_sql(monitor, level.step), stored(monitor, level.step)
        assert len(got) == len(expected) == (3 + 24) * HOUR / level.step
        assert np.allclose(np.array(got, dtype=float), np.array(expected, dtype=float))


def test_a_pass_reads_only_the_samples_of_the_buckets_it_completes(
    monitor: PluginMonitor,
) -> None:
    """Every minute the worker looks; it reads raw samples only for the levels
    with a newly completed bucket, from where that level begins. Reading from
    the hourly level's mark, an hour back, made each minute's pass read up to
    an hour of every plugin (a soak's ingest p99 climbed all hour with it)."""
    hour = time.time() // HOUR * HOUR - 2 * HOUR
    fill(monitor, hour, hour + 40 * 60, step=1.0)  # 2,400 samples
    stats = monitor.rollups.stats
    monitor.rollups.run_once(hour + 32 * 60 + 120)  # 5-minute buckets up to minute 30
    assert stats.raw_read == 30 * 60
    monitor.rollups.run_once(hour + 33 * 60 + 120)  # no bucket completed since
    assert stats.raw_read == 30 * 60, "nothing read when nothing is due"
    monitor.rollups.run_once(hour + 35 * 60 + 120)  # the bucket of minutes 30-35
    assert stats.raw_read == 35 * 60, "that bucket's 300 samples, not the half hour before"
