"""Turn ever-growing counters (bytes read, sent…) into amounts per interval."""

from __future__ import annotations

from collections.abc import Hashable

import psutil


class CounterDeltas:
    """Remembers the last reading per key; a first reading or a counter that
    went backwards (a reboot, a restarted process) counts as zero."""

    def __init__(self) -> None:
        self._last: dict[Hashable, float] = {}

    def delta(self, key: Hashable, value: float) -> float:
        previous = self._last.get(key)
        self._last[key] = value
        if previous is None or value < previous:
            return 0.0
        return value - previous

    def keep_only(self, keys: set[Hashable]) -> None:
        """Forget keys that no longer exist (ended processes)."""
        for key in list(self._last):
            if key not in keys:
                del self._last[key]


class HostCpu:
    """The host's CPU % since the previous reading, from this object's own
    baseline: psutil 7 keeps `cpu_percent`'s baseline per thread, so a first
    reading in a collector's thread said 0 % when another thread had primed it."""

    def __init__(self) -> None:
        self._times = psutil.cpu_times()

    def percent(self) -> float:
        now = psutil.cpu_times()
        before, self._times = self._times, now
        busy = sum(now) - now.idle - (sum(before) - before.idle)
        total = sum(now) - sum(before)
        return 0.0 if total <= 0 else max(0.0, min(100.0, 100.0 * busy / total))
