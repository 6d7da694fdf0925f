"""Rolling samples up as they age, and deleting what has expired (R18).

A background thread wakes every minute. For each plugin and level it
summarises the raw samples of the buckets completed since the newest stored
bucket, never rescanning older history; samples that arrive late for a bucket
already rolled up mark that bucket for recomputation. Writes and deletions go
through the single writer in small jobs (one plugin-day of buckets, or a few
thousand rows), so ingestion is never held up for long. Raw rows are deleted
only once every level has rolled them up.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection

from desktop_app.config import RetentionSettings
from desktop_app.models import timestamps
from desktop_app.models.rollups import (
    FIVE_MINUTES,
    LEVELS,
    ONE_HOUR,
    RollupLevel,
)
from desktop_app.models.samples import Sample, SampleBlock, moments
from desktop_app.services.analytics.buckets import summarise
from desktop_app.services.analytics.history import read_raw, rolled_until
from desktop_app.services.storage import rollups as rollup_store
from desktop_app.services.storage import samples as sample_store
from desktop_app.services.storage.samples import SampleStore
from desktop_app.services.storage.writer import DatabaseWriter
from desktop_app.services.workers import WorkerHealth, is_running, join

log = logging.getLogger("plugin_monitor.rollups")

# A bucket is rolled up once it ended this long ago, leaving time for late pushes.
GRACE_SECONDS = 120
# Raw samples summarised per writer job during a catch-up.
CHUNK_US = 86_400 * 1_000_000
DELETE_BATCH = 1000
FIRST_PASS_DELAY = 10.0
DAY = 86_400.0


@dataclass
class RollupStats:
    buckets_written: int = 0
    raw_read: int = 0
    raw_deleted: int = 0
    rollups_deleted: int = 0
    recomputed: int = 0
    last_run: float | None = None
    last_error: str | None = None


@dataclass
class _Marks:
    """Per plugin id and level, the end (µs) of the newest bucket rolled up."""

    ends: dict[tuple[int, int], int] = field(default_factory=dict)
    lowest: dict[int, int] = field(default_factory=dict)

    def set(self, plugin_id: int, level: RollupLevel, end: int) -> None:
        self.ends[(plugin_id, level.step)] = end
        self.lowest[plugin_id] = min(
            self.ends.get((plugin_id, other.step), end) for other in LEVELS
        )


class RollupWorker:
    """Rolls samples up and expires old ones, once a minute (a `Worker`)."""

    name = "rollups"

    def __init__(
        self,
        samples: SampleStore,
        writer: DatabaseWriter,
        plugin_ids: Callable[[], Mapping[str, int]],
        retention: RetentionSettings,
        *,
        period: float = 60.0,
        after_pass: Callable[[float], None] | None = None,
    ) -> None:
        self._samples = samples
        self._writer = writer
        self._plugin_ids = plugin_ids
        self.retention = retention
        self._period = period
        self._after_pass = after_pass
        self._marks = _Marks()
        self._dirty: set[tuple[int, int, int]] = set()  # (plugin id, step, bucket start µs)
        self._dirty_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._run_lock = threading.Lock()
        self.stats = RollupStats()

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="rollups", daemon=True)
        self._thread.start()

    def stop(self, deadline: float) -> bool:
        self._stopping.set()
        self._wake.set()
        return join(self._thread, deadline)

    def health(self) -> WorkerHealth:
        stats = self.stats
        return WorkerHealth(
            self.name,
            running=is_running(self._thread),
            error=stats.last_error,
            details={
                "last_pass_at": stats.last_run,
                "buckets_written": stats.buckets_written,
                "raw_samples_read": stats.raw_read,
                "buckets_recomputed": stats.recomputed,
                "raw_samples_deleted": stats.raw_deleted,
                "rollups_deleted": stats.rollups_deleted,
            },
        )

    def wake(self) -> None:
        """Run a pass now rather than at the next minute."""
        self._wake.set()

    def _loop(self) -> None:
        # The first pass waits a little: a catch-up after an upgrade should not
        # compete with the console's own start.
        self._wake.wait(FIRST_PASS_DELAY)
        self._wake.clear()
        while not self._stopping.is_set():
            try:
                self.run_once(time.time())
            except Exception as error:  # a bad pass must not end rollups for good
                if self._stopping.is_set():
                    break
                self.stats.last_error = str(error)
                log.error("rollup pass failed: %s", error)
            self._wake.wait(self._period)
            self._wake.clear()

    # -- late samples ----------------------------------------------------------------

    def note_committed(self, samples: Sequence[Sample]) -> None:
        """Called with every committed group: a sample older than what is rolled
        up marks its buckets for recomputation."""
        lowest = self._marks.lowest
        if not lowest:
            return
        ids = self._plugin_ids()
        if isinstance(samples, SampleBlock) and samples.times:
            mark = lowest.get(ids.get(samples.plugin_key, -1))
            if mark is None or timestamps.to_micros(min(samples.times)) >= mark:
                return  # a block newer than its plugin's rollups: nothing is late
        late: list[tuple[int, int]] = []
        for plugin_key, moment in moments(samples):
            plugin_id = ids.get(plugin_key)
            if plugin_id is None:
                continue
            mark = lowest.get(plugin_id)
            ts = timestamps.to_micros(moment)
            if mark is not None and ts < mark:
                late.append((plugin_id, ts))
        if not late:
            return
        with self._dirty_lock:
            for plugin_id, ts in late:
                for level in LEVELS:
                    if ts < self._marks.ends.get((plugin_id, level.step), 0):
                        self._dirty.add(
                            (plugin_id, level.step, ts // level.step_us * level.step_us)
                        )
        self._wake.set()

    # -- one pass --------------------------------------------------------------------

    def run_once(self, now: float) -> RollupStats:
        """Roll up every completed bucket, recompute late ones, delete expired rows."""
        with self._run_lock:
            ids = sorted(self._plugin_ids().values())
            for plugin_id in ids:
                if self._stopping.is_set():
                    return self.stats
                self._roll_up(plugin_id, now)
            self._recompute_late()
            for plugin_id in ids:
                if self._stopping.is_set():
                    return self.stats
                self._expire(plugin_id, now)
            if self._after_pass is not None:
                self._after_pass(now)
            self.stats.last_run = now
            self.stats.last_error = None
            return self.stats

    def _roll_up(self, plugin_id: int, now: float) -> None:
        """Summarise the plugin's completed buckets of every level, reading each
        raw sample once: chunks end on the coarsest level's bucket boundary, so
        no bucket is ever split between two chunks."""
        cutoff = {
            level: timestamps.to_micros(now - GRACE_SECONDS) // level.step_us * level.step_us
            for level in LEVELS
        }
        done: dict[RollupLevel, int] = {}
        with self._samples.reading() as reader:
            first: int | None = None
            for level in LEVELS:
                mark = rolled_until(reader, plugin_id, level)
                if mark is None:
                    if first is None:
                        first = reader.first_ts(plugin_id)
                        if first is None:
                            return
                    mark = first // level.step_us * level.step_us
                done[level] = mark
                self._marks.set(plugin_id, level, mark)
        coarsest = max(level.step_us for level in LEVELS)
        start, stop = min(done.values()), max(cutoff.values())
        while start < stop and not self._stopping.is_set():
            end = min((start + CHUNK_US) // coarsest * coarsest, stop)
            spans = {
                level: (done[level], min(end, cutoff[level]))
                for level in LEVELS
                if done[level] < min(end, cutoff[level])
            }
            if not spans:  # no bucket of any level completed here since the last pass
                start = end
                continue
            # Marked before reading, so a sample committed meanwhile is seen as late.
            for level, (_lo, hi) in spans.items():
                self._marks.set(plugin_id, level, hi)
            # Read from where the levels due begin, not from the oldest mark: the hourly
            # level's mark is up to an hour back. Reading from it, the pass at minute 51
            # of an hour of 20 plugins at 50 Hz read 3,000,000 samples (7.4 s) with
            # nothing due; now none (9 ms), and 300,000 (0.76 s) when a 5-minute bucket
            # is due (benchmarks/bench_rollup_pass.py). An hour's soak saw it as an ingest
            # p99 that climbed all hour.
            since = min(lo for lo, _hi in spans.values())
            with self._samples.reading() as reader:
                raw = read_raw(reader, plugin_id, since, end - 1)
                self.stats.raw_read += len(raw)
                if not len(raw) and since == start:
                    # A gap: go straight to the plugin's next sample, if any.
                    following = reader.first_ts(plugin_id, end)
                    if following is None:
                        return
                    start = max(end, following // coarsest * coarsest)
                    done = {level: max(mark, start) for level, mark in done.items()}
                    continue
            rows: list[tuple[object, ...]] = []
            for level, (lo, hi) in spans.items():
                a, b = np.searchsorted(raw.ts, [lo, hi])
                buckets = summarise(raw.ts[a:b], raw.values[a:b], raw.failed[a:b], level.step_us)
                rows += buckets.rows(plugin_id, level.step)
                done[level] = hi
            self._write(rows)
            self.stats.buckets_written += len(rows)
            start = end

    def _write(self, rows: list[tuple[object, ...]]) -> None:
        if rows:
            self._writer.run_job(rollup_store.write_job(rows)).result()

    def _recompute_late(self) -> None:
        with self._dirty_lock:
            dirty, self._dirty = sorted(self._dirty), set()
        for plugin_id, step, bucket in dirty:
            step_us = step * 1_000_000
            with self._samples.reading() as reader:
                raw = read_raw(reader, plugin_id, bucket, bucket + step_us - 1)
            self._write(summarise(raw.ts, raw.values, raw.failed, step_us).rows(plugin_id, step))
            self.stats.recomputed += 1

    # -- retention -------------------------------------------------------------------

    def _expire(self, plugin_id: int, now: float) -> None:
        days = self.retention
        rolled = min(self._marks.ends.get((plugin_id, level.step), 0) for level in LEVELS)
        raw_cut = min(timestamps.to_micros(now - days.raw_retention_days * DAY), rolled)
        self.stats.raw_deleted += self._delete_in_batches(
            functools.partial(
                sample_store.delete_before, plugin_id=plugin_id, cut=raw_cut, batch=DELETE_BATCH
            )
        )
        for level, keep_days in (
            (FIVE_MINUTES, days.rollup_5m_retention_days),
            (ONE_HOUR, days.rollup_1h_retention_days),
        ):
            self.stats.rollups_deleted += self._delete_in_batches(
                functools.partial(
                    rollup_store.delete_before,
                    plugin_id=plugin_id,
                    step=level.step,
                    cut=timestamps.to_micros(now - keep_days * DAY),
                    batch=DELETE_BATCH,
                )
            )

    def _delete_in_batches(self, job: Callable[[Connection], int]) -> int:
        deleted = 0
        while not self._stopping.is_set():
            count = self._writer.run_job(job).result()
            deleted += count
            if count < DELETE_BATCH:
                break
        return deleted
