"""Every direction and strength is recognised at its boundaries."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.services.analytics.trends import classify, fit_trend


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (20.0, ("up", "strong")),
        (19.999, ("up", "moderate")),
        (10.0, ("up", "moderate")),
        (9.999, ("up", "weak")),
        (5.0, ("up", "weak")),
        (4.999, ("stable", "weak")),
        (0.0, ("stable", "weak")),
        (-4.999, ("stable", "weak")),
        (-5.0, ("down", "weak")),
        (-9.999, ("down", "weak")),
        (-10.0, ("down", "moderate")),
        (-19.999, ("down", "moderate")),
        (-20.0, ("down", "strong")),
        (-250.0, ("down", "strong")),
    ],
)
def test_classes_at_their_boundaries(change: float, expected: tuple[str, str]) -> None:
    assert classify(change) == expected


@pytest.mark.parametrize(
    "change", [-30, -20.2, -19.8, -10.2, -9.8, -5.2, -4.8, 0, 4.8, 5.2, 9.8, 10.2, 19.8, 20.2, 30]
)
def test_a_designed_line_gives_its_change(change: float) -> None:
    """A line rising by `change` % of its mean over the window, with noise that
    averages out, is fitted to that change."""
    hours = np.arange(0, 24, 5 / 60)
    times = 1_800_000_000 + hours * 3600
    mean = 50.0
    line = mean + mean * change / 100 * (hours - hours.mean()) / hours[-1]
    noise = np.tile([0.3, -0.3], len(hours) // 2)
    trend = fit_trend(times, line + noise)
    assert trend is not None
    assert trend.change_percent == pytest.approx(change, abs=0.05)
    assert (trend.direction, trend.strength) == classify(change)
    assert trend.mean == pytest.approx(mean)


def test_gaps_and_weights() -> None:
    times = np.arange(10, dtype=np.float64) * 3600
    values = np.array([1, np.nan, 1, 1, np.nan, 1, 1, 1, 1, 100.0])
    weights = np.array([5, 0, 5, 5, 0, 5, 5, 5, 5, 0.0])
    trend = fit_trend(times, values, weights)
    assert trend is not None
    assert trend.direction == "stable" and trend.change_percent == 0.0, "weight 0 is ignored"
    assert fit_trend(times[:2], values[:2]) is None, "two points are not a trend"
    flat = fit_trend(times, np.zeros(10))
    assert flat is not None and flat.direction == "stable"
