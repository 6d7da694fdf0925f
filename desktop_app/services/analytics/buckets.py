"""Summarising samples per time bucket with numpy, and combining buckets.

The same function turns raw samples into stored rollup rows and into the
partial buckets at the edges of a window, so a window read from rollups and
raw rows agrees exactly with one computed from raw rows alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from desktop_app.models.rollups import ROLLUP_METRICS, ROLLUP_STATS

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

P95 = 0.95


@dataclass(frozen=True)
class Buckets:
    """Per bucket (rows) and metric (columns of ROLLUP_METRICS): count, sum,
    min, max and P95; NaN where a bucket holds no value of a metric."""

    starts: Ints  # bucket start, UTC microseconds
    samples: Ints
    failed: Ints
    count: Ints
    total: Floats
    minimum: Floats
    maximum: Floats
    p95: Floats

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def average(self) -> Floats:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.count > 0, self.total / np.maximum(self.count, 1), np.nan)

    def rows(self, plugin_id: int, step: int) -> list[tuple[object, ...]]:
        """Rows for the rollups table, columns in ROLLUP_COLUMNS order."""
        if not len(self):
            return []
        stats = np.stack([self.count, self.total, self.minimum, self.maximum, self.p95], axis=2)
        cells = stats.reshape(len(self), -1)
        flat = cells.astype(object)
        flat[np.isnan(cells)] = None  # an absent metric is NULL, as in the samples table
        return [
            (plugin_id, step, int(start), int(n), int(bad), *values)
            for start, n, bad, values in zip(
                self.starts, self.samples, self.failed, flat.tolist(), strict=True
            )
        ]


def empty() -> Buckets:
    width = len(ROLLUP_METRICS)
    no_ints = np.zeros(0, dtype=np.int64)
    no_cells = np.zeros((0, width), dtype=np.float64)
    return Buckets(
        no_ints, no_ints, no_ints, np.zeros((0, width), dtype=np.int64), *([no_cells] * 4)
    )


def lerp_percentile(ordered: Floats, offsets: Ints, counts: Ints, q: float) -> Floats:
    """numpy's default ("linear") percentile of each sorted run, all at once."""
    position = q * (counts - 1)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, counts - 1)
    t = position - low
    a = ordered[offsets + low]
    b = ordered[offsets + high]
    diff = b - a
    # The same two-sided interpolation numpy uses, so results match it bit for bit.
    result: Floats = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)
    return result


def summarise(ts: Ints, values: Floats, failed: Ints, step_us: int) -> Buckets:
    """Buckets of `step_us` for samples sorted by time (values: n rows by metric, NaN = absent)."""
    if len(ts) == 0:
        return empty()
    starts, inverse = np.unique(ts // step_us, return_inverse=True)
    size = len(starts)
    width = values.shape[1]
    count = np.zeros((size, width), dtype=np.int64)
    total = np.full((size, width), np.nan)
    minimum = np.full((size, width), np.nan)
    maximum = np.full((size, width), np.nan)
    p95 = np.full((size, width), np.nan)
    for column in range(width):
        present = ~np.isnan(values[:, column])
        groups = inverse[present]
        column_values = values[present, column]
        counts = np.bincount(groups, minlength=size)
        count[:, column] = counts
        if not len(column_values):
            continue
        has = counts > 0
        total[has, column] = np.bincount(groups, weights=column_values, minlength=size)[has]
        ordered = column_values[np.lexsort((column_values, groups))]
        offsets = (np.cumsum(counts) - counts)[has]
        n = counts[has]
        minimum[has, column] = ordered[offsets]
        maximum[has, column] = ordered[offsets + n - 1]
        p95[has, column] = lerp_percentile(ordered, offsets, n, P95)
    return Buckets(
        starts=starts * step_us,
        samples=np.bincount(inverse, minlength=size).astype(np.int64),
        failed=np.bincount(inverse, weights=failed, minlength=size).astype(np.int64),
        count=count,
        total=total,
        minimum=minimum,
        maximum=maximum,
        p95=p95,
    )


def from_rows(rows: list[tuple[object, ...]]) -> Buckets:
    """Buckets from rollup rows selected as (bucket, samples, failed, ROLLUP_COLUMNS…)."""
    if not rows:
        return empty()
    table = np.array(rows, dtype=np.float64)
    width = len(ROLLUP_METRICS)
    stats = table[:, 3:].reshape(len(rows), width, len(ROLLUP_STATS))
    return Buckets(
        starts=table[:, 0].astype(np.int64),
        samples=table[:, 1].astype(np.int64),
        failed=table[:, 2].astype(np.int64),
        count=np.nan_to_num(stats[:, :, 0]).astype(np.int64),
        total=stats[:, :, 1],
        minimum=stats[:, :, 2],
        maximum=stats[:, :, 3],
        p95=stats[:, :, 4],
    )


def concat(*parts: Buckets) -> Buckets:
    kept = [part for part in parts if len(part)]
    if not kept:
        return empty()
    if len(kept) == 1:
        return kept[0]
    return Buckets(
        starts=np.concatenate([p.starts for p in kept]),
        samples=np.concatenate([p.samples for p in kept]),
        failed=np.concatenate([p.failed for p in kept]),
        count=np.concatenate([p.count for p in kept]),
        total=np.concatenate([p.total for p in kept]),
        minimum=np.concatenate([p.minimum for p in kept]),
        maximum=np.concatenate([p.maximum for p in kept]),
        p95=np.concatenate([p.p95 for p in kept]),
    )
