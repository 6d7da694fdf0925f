"""Stored times are integers: UTC microseconds since the epoch. Shown times
are the operator's local time."""

from __future__ import annotations

import time


def to_micros(ts: float) -> int:
    return round(ts * 1_000_000)


def from_micros(us: int) -> float:
    return us / 1_000_000


def local_minute(ts: float) -> str:
    """A moment to the minute in the operator's time zone: 2026-11-26 14:05."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))
