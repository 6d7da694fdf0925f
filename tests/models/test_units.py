"""Human units: one scale per axis or column, symbols as they are."""

from __future__ import annotations

import math

import pytest

from desktop_app.models.metrics import Display
from desktop_app.models.units import human, scale_of


@pytest.mark.parametrize(
    ("value", "display", "unit", "text"),
    [
        (3e8, Display.BYTES, "bytes", "286 MiB"),
        (512, Display.BYTES, "bytes", "512 B"),
        (1536, Display.BYTES, "bytes/s", "1.5 KiB/s"),
        (0.25, Display.SECONDS, "s", "250 ms"),
        (2.5, Display.SECONDS, "s", "2.5 s"),
        (12.5, Display.PERCENT, "%", "12.5 %"),
        (2.5, Display.RATE, "/s", "2.5/s"),
        (1500, Display.RATE, "requests/s", "1.5 k requests/s"),
        (1_234_567, Display.COUNT, "count", "1.23 M"),
        (7, Display.COUNT, "count", "7"),
        (None, Display.PERCENT, "%", "\u2013"),
        (math.nan, Display.BYTES, "bytes", "\u2013"),
    ],
)
def test_values_read_in_human_units(
    value: float | None, display: Display, unit: str, text: str
) -> None:
    assert human(value, display, unit) == text


def test_one_scale_serves_a_whole_column() -> None:
    scale = scale_of(Display.BYTES, "bytes", [1024.0, 5 * 1024**2, None, math.inf])
    assert scale.unit == "MiB"
    assert scale.text(1024.0) == "0.000977 MiB"
