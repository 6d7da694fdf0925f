"""Stored times are integers: UTC microseconds since the epoch."""

from __future__ import annotations


def to_micros(ts: float) -> int:
    return round(ts * 1_000_000)


def from_micros(us: int) -> float:
    return us / 1_000_000
