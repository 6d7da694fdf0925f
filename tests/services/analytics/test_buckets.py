"""Per-bucket summaries equal numpy's own statistics of the same samples."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.models.rollups import ROLLUP_METRICS
from desktop_app.services.analytics.buckets import concat, from_rows, summarise

STEP = 300 * 1_000_000


def synthetic(seed: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    ts = np.sort(rng.integers(0, 20 * STEP, n)).astype(np.int64)
    values = rng.gamma(2.0, 10.0, (n, len(ROLLUP_METRICS)))
    values[rng.random(values.shape) < 0.2] = np.nan
    failed = (rng.random(n) < 0.1).astype(np.int64)
    return ts, values, failed


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 400))
def test_each_bucket_matches_numpy(seed: int, n: int) -> None:
    ts, values, failed = synthetic(seed, n)
    buckets = summarise(ts, values, failed, STEP)
    for row, start in enumerate(buckets.starts):
        inside = (ts // STEP) * STEP == start
        assert buckets.samples[row] == inside.sum()
        assert buckets.failed[row] == failed[inside].sum()
        for column in range(len(ROLLUP_METRICS)):
            present = values[inside, column][~np.isnan(values[inside, column])]
            assert buckets.count[row, column] == len(present)
            if not len(present):
                assert np.isnan(buckets.p95[row, column])
                continue
            assert buckets.minimum[row, column] == present.min()
            assert buckets.maximum[row, column] == present.max()
            assert np.isclose(buckets.total[row, column], present.sum())
            assert buckets.p95[row, column] == np.percentile(present, 95)


def test_stored_rows_read_back_unchanged() -> None:
    ts, values, failed = synthetic(7, 500)
    buckets = summarise(ts, values, failed, STEP)
    rows = [row[2:] for row in buckets.rows(plugin_id=1, step=300)]
    again = from_rows(rows)
    assert np.array_equal(again.starts, buckets.starts)
    assert np.array_equal(again.count, buckets.count)
    for name in ("total", "minimum", "maximum", "p95"):
        assert np.array_equal(getattr(again, name), getattr(buckets, name), equal_nan=True)


def test_split_windows_concatenate_to_the_whole() -> None:
    ts, values, failed = synthetic(3, 300)
    cut = np.searchsorted(ts, 10 * STEP)
    whole = summarise(ts, values, failed, STEP)
    parts = concat(
        summarise(ts[:cut], values[:cut], failed[:cut], STEP),
        summarise(ts[cut:], values[cut:], failed[cut:], STEP),
    )
    assert np.array_equal(parts.starts, whole.starts)
    assert np.array_equal(parts.p95, whole.p95, equal_nan=True)


def test_empty_inputs_give_empty_buckets_and_one_part_is_kept_as_it_is() -> None:
    empty = from_rows([])
    assert len(empty) == 0 and empty.rows(1, 300) == []
    assert len(concat(empty, empty)) == 0
    ts, values, failed = synthetic(7, 50)
    part = summarise(ts, values, failed, STEP)
    assert concat(empty, part, empty) is part
