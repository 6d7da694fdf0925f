"""The alert rules' values over a block's columns (numpy arrays, NaN where a
sample has no value), for evaluating a columnar push in bulk.

Each function is the array form of a per-sample value in `rules.py`; the
evaluator's tests run random blocks both ways and require the same
transitions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from desktop_app.services.alerts.rules import Line

Arrays = Mapping[str, np.ndarray]


def error_rates(arrays: Arrays) -> np.ndarray | None:
    """`Sample.error_rate` for each sample."""
    requests, errors = arrays.get("request_count"), arrays.get("error_count")
    if requests is None and errors is None:
        return None
    size = len(requests if requests is not None else errors)  # type: ignore[arg-type]
    nothing = np.full(size, np.nan)
    requests = nothing if requests is None else requests
    errors = nothing if errors is None else errors
    told = ~(np.isnan(requests) & np.isnan(errors))
    req, err = np.nan_to_num(requests), np.nan_to_num(errors)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.minimum(100.0, 100.0 * err / req)
    rates = np.where(req <= 0, np.where(err > 0, 100.0, 0.0), share)
    return np.where(told, rates, np.nan)


def failure_flags(arrays: Arrays, failed: np.ndarray | None, size: int) -> np.ndarray:
    """`Sample.is_failure` for each sample."""
    zero = np.zeros(size)
    errors = np.nan_to_num(arrays.get("error_count", zero))
    requests = np.nan_to_num(arrays.get("request_count", zero))
    flags = (errors > 0) & (errors >= requests)
    return flags if failed is None else flags | failed


def failure_runs(flags: np.ndarray, before: int) -> np.ndarray:
    """Each sample's run of failed samples in a row, counting the `before`
    failed samples that ended the previous block."""
    index = np.arange(flags.size)
    last_good = np.maximum.accumulate(np.where(flags, -1, index))
    runs = index - last_good
    return np.where(last_good < 0, runs + before, runs).astype(float)


def raw_levels(values: np.ndarray, lines: tuple[Line, ...]) -> np.ndarray:
    """`target_level` without a current level, as integers (0: no level)."""
    levels = np.zeros(values.size, dtype=np.int64)
    for level, threshold in lines:
        levels[values >= threshold] = int(level)
    return levels
