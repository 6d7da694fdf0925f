"""Values in human units: KiB/MiB/GiB for bytes, ms/s for durations, /s for
rates, % for percentages. One scale per axis or column, chosen from the
largest value shown, so "3e+08" reads "286 MiB" and "s (x0.001)" reads "ms".
Symbols are the same in every language (%, ms, MiB, /s)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from desktop_app.models.metrics import Display

NO_VALUE = "\u2013"  # an en dash: no value (yet)
BINARY = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")
DECIMAL = ("", "k", "M", "G", "T")


@dataclass(frozen=True, slots=True)
class Scale:
    """Values are divided by `divisor` and followed by `unit`."""

    divisor: float
    unit: str

    def text(self, value: float, digits: int = 3) -> str:
        scaled = value / self.divisor
        return self.with_unit(
            f"{scaled:,.{digits}g}" if abs(scaled) < 10**digits else f"{scaled:,.0f}"
        )

    def with_unit(self, number: str) -> str:
        """`number` (already divided) followed by the unit: "12 %", "3/s"."""
        if not self.unit or self.unit.startswith("/"):
            return f"{number}{self.unit}"
        return f"{number} {self.unit}"


def _steps(largest: float, base: float, names: tuple[str, ...], word: str = "") -> Scale:
    power = 0
    while largest >= base and power < len(names) - 1:
        largest /= base
        power += 1
    return Scale(base**power, " ".join(part for part in (names[power], word) if part))


def scale_for(display: Display, unit: str, largest: float) -> Scale:
    """The scale that shows values up to `largest` with at most 4 digits."""
    largest = abs(largest) if math.isfinite(largest) else 0.0
    if display is Display.BYTES:
        per = "/s" if unit.endswith("/s") else ""  # a byte rate: MiB/s
        bytes_scale = _steps(largest, 1024.0, BINARY)
        return Scale(bytes_scale.divisor, bytes_scale.unit + per)
    if display is Display.SECONDS:
        return Scale(0.001, "ms") if largest < 1.0 else Scale(1.0, "s")
    if display is Display.PERCENT:
        return Scale(1.0, "%")
    if display is Display.RATE:
        return _steps(largest, 1000.0, DECIMAL, unit or "/s")
    if display is Display.COUNT:
        return _steps(largest, 1000.0, DECIMAL)
    return _steps(largest, 1000.0, DECIMAL, unit)


def scale_of(display: Display, unit: str, values: Iterable[float | None]) -> Scale:
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    return scale_for(display, unit, max(finite, default=0.0))


def human(value: float | None, display: Display, unit: str = "", digits: int = 3) -> str:
    """One value on its own scale; an en dash when there is none."""
    if value is None or not math.isfinite(value):
        return NO_VALUE
    return scale_for(display, unit, value).text(value, digits)
