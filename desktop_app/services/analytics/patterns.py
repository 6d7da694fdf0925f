"""Usage patterns in the operator's time zone (R13): averages by hour of
day, day of week, week and month, with peak and quiet hours, plus the
hour-of-week baseline (mean and spread) the "unusual for this hour" rule uses.

Everything is computed from bucket sums and counts, so an average over many
buckets weighs every sample equally.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, tzinfo

import numpy as np

from desktop_app.services.analytics.buckets import Floats, Ints

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PEAK_COUNT = 3
HOUR = 3600
DAY = 86_400
HOURS_PER_WEEK = 168


def local_seconds(starts_s: Ints, tz: tzinfo) -> Ints:
    """UTC seconds shifted to wall-clock seconds in `tz`."""
    if not len(starts_s):
        return starts_s

    def offset(ts: int) -> int:
        delta = datetime.fromtimestamp(int(ts), tz).utcoffset()
        return 0 if delta is None else int(delta.total_seconds())

    first, last = offset(starts_s[0]), offset(starts_s[-1])
    if first == last and (starts_s[-1] - starts_s[0]) < 120 * DAY:
        return starts_s + first  # no change of offset (DST changes are months apart)
    return starts_s + np.array([offset(ts) for ts in starts_s], dtype=np.int64)


def _averages(index: Ints, size: int, total: Floats, count: Floats) -> Floats:
    sums = np.bincount(index, weights=np.nan_to_num(total), minlength=size)
    counts = np.bincount(index, weights=count, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def _clean(values: Floats) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values.tolist()]


def _ranked(averages: Floats, highest: bool) -> list[int]:
    present = np.flatnonzero(~np.isnan(averages))
    if not len(present):
        return []
    order = present[np.argsort(averages[present], kind="stable")]
    picked = order[::-1][:PEAK_COUNT] if highest else order[:PEAK_COUNT]
    return [int(i) for i in picked]


class PatternIndex:
    """Where each bucket falls: hour of day, weekday, week and month (local)."""

    def __init__(self, starts_us: Ints, tz: tzinfo) -> None:
        local = local_seconds(starts_us // 1_000_000, tz)
        days = local // DAY
        self.hour = (local // HOUR) % 24
        self.weekday = (days + 3) % 7  # 1970-01-01 was a Thursday
        self.hour_of_week = self.weekday * 24 + self.hour
        week_start = days - self.weekday
        self.weeks, self.week = np.unique(week_start, return_inverse=True)
        months = local.astype("datetime64[s]").astype("datetime64[M]")
        self.months, self.month = np.unique(months, return_inverse=True)

    def metric(self, total: Floats, count: Floats) -> dict[str, object]:
        by_hour = _averages(self.hour, 24, total, count)
        by_day = _averages(self.weekday, 7, total, count)
        by_week = _averages(self.week, len(self.weeks), total, count)
        by_month = _averages(self.month, len(self.months), total, count)
        busiest, quietest = _ranked(by_day, True), _ranked(by_day, False)
        return {
            "hour_of_day": _clean(by_hour),
            "peak_hours": _ranked(by_hour, True),
            "quiet_hours": _ranked(by_hour, False),
            "day_of_week": dict(zip(DAYS, _clean(by_day), strict=True)),
            "busiest_day": DAYS[busiest[0]] if busiest else None,
            "quietest_day": DAYS[quietest[0]] if quietest else None,
            "weeks": [
                {"week_starting": str(np.datetime64(int(w), "D")), "average": a}
                for w, a in zip(self.weeks.tolist(), _clean(by_week), strict=True)
            ],
            "months": [
                {"month": str(m), "average": a}
                for m, a in zip(self.months, _clean(by_month), strict=True)
            ],
        }

    def heatmap(self, total: Floats, count: Floats) -> list[list[float | None]]:
        """Average by weekday (rows, Monday first) and hour (columns)."""
        grid = _averages(self.hour_of_week, HOURS_PER_WEEK, total, count)
        return [_clean(grid[day * 24 : (day + 1) * 24]) for day in range(7)]

    def baseline(self, averages: Floats) -> tuple[Floats, Floats, Ints]:
        """Per hour of week: mean and standard deviation of the bucket
        averages that fell in it, and how many there were."""
        present = ~np.isnan(averages)
        slots = self.hour_of_week[present]
        values = averages[present]
        n = np.bincount(slots, minlength=HOURS_PER_WEEK)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.bincount(slots, weights=values, minlength=HOURS_PER_WEEK) / n
            square = np.bincount(slots, weights=values**2, minlength=HOURS_PER_WEEK) / n
        spread = np.sqrt(np.maximum(square - mean**2, 0.0))
        return mean, spread, n.astype(np.int64)


def usage_patterns(
    *,
    starts_us: Ints,
    total: Floats,
    count: Floats,
    metrics: Sequence[str],
    tz: tzinfo,
    primary: str,
) -> dict[str, object]:
    """Patterns of every metric with data; a weekday by hour heatmap of `primary`."""
    index = PatternIndex(starts_us, tz)
    result: dict[str, object] = {}
    for column, name in enumerate(metrics):
        if count[:, column].sum():
            result[name] = index.metric(total[:, column], count[:, column])
    column = list(metrics).index(primary)
    return {
        "timezone": str(tz),
        "usage_metric": primary,
        "heatmap": index.heatmap(total[:, column], count[:, column]),
        "metrics": result,
    }
