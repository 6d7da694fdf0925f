"""Turn ever-growing counters (bytes read, sent…) into amounts per interval."""

from __future__ import annotations

from collections.abc import Hashable


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
