"""Server timestamps that never repeat for one plugin.

Samples are keyed by (plugin, microsecond); two pushes for one plugin in the
same microsecond would otherwise replace each other.
"""

from __future__ import annotations

import threading
import time


class UniqueClock:
    def __init__(self) -> None:
        self._last: dict[str, int] = {}
        self._lock = threading.Lock()

    def stamp(self, plugin_key: str) -> float:
        micros = time.time_ns() // 1000
        with self._lock:
            last = self._last.get(plugin_key)
            if last is not None and micros <= last:
                micros = last + 1
            self._last[plugin_key] = micros
        return micros / 1_000_000
