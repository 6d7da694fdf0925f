"""Trend direction and strength of a metric over a window (R12).

Method: a least-squares line through the window's points (bucket averages,
each weighted by its number of samples). The change is the line's rise over
the window, relative to the window's mean:
change % = 100 * slope * span / |mean|. Strength: strong at 20 % or more,
moderate from 10 % up to 20 %, weak below 10 %. Direction: up or down when
the change is 5 % or more, otherwise stable (so a stable trend is always weak).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from desktop_app.services.analytics.buckets import Floats

STRONG_FROM = 20.0
MODERATE_FROM = 10.0
STABLE_BELOW = 5.0
MIN_POINTS = 3


@dataclass(frozen=True)
class Trend:
    direction: str  # up | down | stable
    strength: str  # strong | moderate | weak
    change_percent: float
    slope_per_hour: float
    mean: float
    start: float  # seconds since the epoch of the first point
    intercept: float  # fitted value at `start`
    points: int

    def fitted(self, at: float) -> float:
        return self.intercept + self.slope_per_hour * (at - self.start) / 3600.0

    def as_dict(self) -> dict[str, object]:
        return {
            "direction": self.direction,
            "strength": self.strength,
            "change_percent": self.change_percent,
            "slope_per_hour": self.slope_per_hour,
            "mean": self.mean,
            "points": self.points,
        }


def classify(change_percent: float) -> tuple[str, str]:
    """(direction, strength) of a relative change in percent."""
    size = abs(change_percent)
    if size >= STRONG_FROM:
        strength = "strong"
    elif size >= MODERATE_FROM:
        strength = "moderate"
    else:
        strength = "weak"
    if size < STABLE_BELOW:
        return "stable", strength
    return ("up" if change_percent > 0 else "down"), strength


def fit_trend(times: Floats, values: Floats, weights: Floats | None = None) -> Trend | None:
    """The trend of `values` at `times` (seconds); None with fewer than 3 points."""
    present = ~np.isnan(values)
    if weights is not None:
        present &= weights > 0
    if present.sum() < MIN_POINTS:
        return None
    t, y = times[present], values[present]
    w = np.ones_like(y) if weights is None else weights[present].astype(np.float64)
    start = float(t[0])
    hours = (t - start) / 3600.0
    span = float(hours[-1])
    mean = float(np.average(y, weights=w))
    if span <= 0:
        return None
    h_mean = np.average(hours, weights=w)
    spread = float(np.sum(w * (hours - h_mean) ** 2))
    slope = 0.0 if spread == 0 else float(np.sum(w * (hours - h_mean) * (y - mean)) / spread)
    intercept = mean - slope * float(h_mean)
    change = slope * span
    change_percent = 0.0 if mean == 0 or not math.isfinite(change) else 100.0 * change / abs(mean)
    direction, strength = classify(change_percent)
    return Trend(
        direction=direction,
        strength=strength,
        change_percent=change_percent,
        slope_per_hour=slope,
        mean=mean,
        start=start,
        intercept=intercept,
        points=int(present.sum()),
    )
