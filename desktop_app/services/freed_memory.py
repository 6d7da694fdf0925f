"""Memory freed after a burst goes back to the system.

glibc keeps what the monitor frees for reuse, and after a burst (a backfill,
a large export, a thousand WebSocket clients leaving at once) keeps most of
it for good: see desktop_app/memory.py. Once a minute this part looks at the
process's resident size, and when it has grown by more than GROWTH_BYTES
since the last trim (or the start) while glibc keeps more than KEPT_BYTES
freed, it trims.

Why growth and not simply "much kept": a viewer reading an hour of a 50 Hz
plugin every 5 s frees and reuses about 100 MiB all the time. Trimming
whenever glibc kept 64 MiB (the first rule tried) did it every minute of a
soak of `serve`: RSS swung between 450 and 540 MiB as the reads faulted the
pages back in, for nothing. In the hour's soak of `serve` with this rule
(benchmarks/bench_soak.py), it trimmed once, while an hour of history was
being stored (161 MiB back in 76 ms), and never in the hour of load after.
"""

from __future__ import annotations

import logging
import time

import psutil

from desktop_app.memory import heap_figures, return_freed_memory
from desktop_app.services.workers import Ticking, WorkerHealth

log = logging.getLogger("plugin_monitor.memory")

CHECK_SECONDS = 60.0
GROWTH_BYTES = 256 * 2**20
KEPT_BYTES = 64 * 2**20
MIB = 2**20


class FreedMemoryReturn(Ticking):
    """A `Worker`: the minutely look, and what the trims gave back."""

    name = "freed-memory"

    def __init__(self, *, every: float = CHECK_SECONDS, growth: int = GROWTH_BYTES) -> None:
        super().__init__(every)
        self._growth = growth
        self._floor: int | None = None  # resident bytes after the last trim, or at the first look
        self.trims = 0
        self.returned_bytes = 0
        self.kept_bytes: int | None = None

    def start(self) -> None:
        self.tick()  # the floor: what the monitor holds once started (a millisecond)
        super().start()

    def health(self) -> WorkerHealth:
        return WorkerHealth(
            self.name,
            running=self.running,
            details={
                "kept_free_mib": None if self.kept_bytes is None else round(self.kept_bytes / MIB),
                "trims": self.trims,
                "returned_mib": round(self.returned_bytes / MIB),
            },
        )

    def tick(self) -> None:
        """Trim if the process grew by more than the limit and glibc keeps much freed."""
        figures, resident = heap_figures(), _resident()
        self.kept_bytes = None if figures is None else figures[1]
        if self._floor is None:
            self._floor = resident
        if self.kept_bytes is None or self.kept_bytes < KEPT_BYTES:
            return
        if resident - self._floor < self._growth:
            return
        began = time.perf_counter()
        return_freed_memory()
        self._floor = _resident()
        self.trims += 1
        self.returned_bytes += max(0, resident - self._floor)
        log.info(
            "gave %.0f MiB of freed memory back to the system in %.0f ms (now %.0f MiB resident)",
            (resident - self._floor) / MIB,
            (time.perf_counter() - began) * 1000,
            self._floor / MIB,
        )


def _resident() -> int:
    return int(psutil.Process().memory_info().rss)
