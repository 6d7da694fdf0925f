"""The forecast projects the fitted line to the threshold."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.services.analytics.forecast import forecast, in_words
from desktop_app.services.analytics.trends import fit_trend

NOW = 1_800_000_000.0


def memory_trend(per_hour: float, end_value: float):  # type: ignore[no-untyped-def]
    hours = np.arange(-12, 0.001, 0.25)
    trend = fit_trend(NOW + hours * 3600, end_value + per_hour * hours)
    assert trend is not None
    return trend


def test_memory_reaches_its_line_in_the_designed_time() -> None:
    found = forecast(
        "memory_usage",
        title="Memory usage",
        unit="%",
        trend=memory_trend(2.0, 79.0),
        threshold=85.0,
        now=NOW,
    )
    assert found is not None
    assert found.eta_seconds == pytest.approx(3 * 3600)
    assert found.reaches_at == pytest.approx(NOW + 3 * 3600)
    assert found.message == "Memory usage reaches 85 % in about 3 h"


@pytest.mark.parametrize(
    ("per_hour", "end", "message"),
    [
        (-1.0, 60.0, "Memory usage is not rising towards 85 %"),
        (0.01, 60.0, "Memory usage does not reach 85 % within 7 days"),
        (1.0, 90.0, "Memory usage is at its line of 85 %"),
    ],
)
def test_no_crossing_is_said_plainly(per_hour: float, end: float, message: str) -> None:
    found = forecast(
        "memory_usage",
        title="Memory usage",
        unit="%",
        trend=memory_trend(per_hour, end),
        threshold=85.0,
        now=NOW,
    )
    assert found is not None and found.message == message
    assert (
        forecast("m", title="M", unit="%", trend=memory_trend(1, 1), threshold=0, now=NOW) is None
    )


def test_durations_in_words() -> None:
    assert [in_words(s) for s in (20, 40 * 60, 3 * 3600, 50 * 3600)] == [
        "about 1 min",
        "about 40 min",
        "about 3 h",
        "about 2 days",
    ]
