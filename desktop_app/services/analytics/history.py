"""Reading a plugin's history as buckets: rollups for the complete buckets
already rolled up, raw samples for the edges and the newest part.

A window therefore costs about the same whatever its length, and agrees
exactly with what the raw samples alone would give for counts, sums,
averages, minima and maxima.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop_app.models import timestamps
from desktop_app.models.rollups import ROLLUP_METRICS, RollupLevel
from desktop_app.services.analytics.buckets import (
    Buckets,
    Floats,
    Ints,
    concat,
    from_rows,
    summarise,
)
from desktop_app.services.storage.samples import SampleReader, SampleStore


@dataclass(frozen=True)
class RawWindow:
    """Raw samples, oldest first: times (µs), metric values (NaN = absent), failed flags."""

    ts: Ints
    values: Floats
    failed: Ints

    def __len__(self) -> int:
        return len(self.ts)


def to_window(rows: list[tuple[object, ...]]) -> RawWindow:
    """Rows selected as (ts, ROLLUP_METRICS…, failed) as arrays."""
    if not rows:
        width = len(ROLLUP_METRICS)
        return RawWindow(np.zeros(0, np.int64), np.zeros((0, width)), np.zeros(0, np.int64))
    table = np.array(rows, dtype=np.float64)
    return RawWindow(
        ts=np.array([row[0] for row in rows], dtype=np.int64),
        values=table[:, 1:-1],
        failed=table[:, -1].astype(np.int64),
    )


def read_raw(reader: SampleReader, plugin_id: int, since_us: int, until_us: int) -> RawWindow:
    return to_window(reader.raw(plugin_id, since_us, until_us))


def rolled_until(reader: SampleReader, plugin_id: int, level: RollupLevel) -> int | None:
    """End (µs) of the newest stored bucket of this level, or None if none is stored."""
    newest = reader.newest_bucket(plugin_id, level.step)
    return None if newest is None else newest + level.step_us


class History:
    def __init__(self, samples: SampleStore) -> None:
        self.samples = samples

    def buckets(self, plugin_id: int, since: float, until: float, level: RollupLevel) -> Buckets:
        """Buckets of `level` covering since <= ts <= until; the first and last
        may be partial (only the samples inside the window count)."""
        since_us, until_us = timestamps.to_micros(since), timestamps.to_micros(until)
        step = level.step_us
        first_full = -(-since_us // step) * step
        with self.samples.reading() as reader:
            mark = rolled_until(reader, plugin_id, level) or first_full
            end_full = min((until_us + 1) // step * step, mark)
            if end_full <= first_full:
                return self._summarise(read_raw(reader, plugin_id, since_us, until_us), step)
            head = read_raw(reader, plugin_id, since_us, first_full - 1)
            middle = reader.buckets(plugin_id, level.step, first_full, end_full)
            tail = read_raw(reader, plugin_id, end_full, until_us)
        return concat(self._summarise(head, step), from_rows(middle), self._summarise(tail, step))

    def raw(self, plugin_id: int, since: float, until: float) -> RawWindow:
        with self.samples.reading() as reader:
            return read_raw(
                reader, plugin_id, timestamps.to_micros(since), timestamps.to_micros(until)
            )

    def latest(self, plugin_id: int, until: float) -> RawWindow:
        """The newest sample at or before `until` (empty if there is none)."""
        with self.samples.reading() as reader:
            return to_window(reader.latest(plugin_id, timestamps.to_micros(until)))

    @staticmethod
    def _summarise(raw: RawWindow, step: int) -> Buckets:
        return summarise(raw.ts, raw.values, raw.failed, step)
