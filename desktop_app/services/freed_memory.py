"""Memory the monitor has freed goes back to the system.

glibc keeps freed memory for reuse, and after a burst (a backfill, an
export, a thousand WebSocket clients leaving at once) keeps most of it for
good: see desktop_app/memory.py. Once a minute this part asks glibc how much
it keeps, and when that is more than KEPT_LIMIT_BYTES it trims. The check
(`mallinfo2`) costs about a millisecond; the trim walks the arenas under
their locks (20 to 60 ms for a few hundred MiB), so it runs only when the
memory it would return is worth a moment's wait of the threads that allocate.
"""

from __future__ import annotations

import logging
import threading
import time

import psutil

from desktop_app.memory import heap_figures, return_freed_memory
from desktop_app.services.workers import WorkerHealth, is_running, join

log = logging.getLogger("plugin_monitor.memory")

CHECK_SECONDS = 60.0
KEPT_LIMIT_BYTES = 64 * 2**20
MIB = 2**20


class FreedMemoryReturn:
    """A `Worker`: the minutely check, and what the trims gave back."""

    name = "freed-memory"

    def __init__(self, *, every: float = CHECK_SECONDS, kept_limit: int = KEPT_LIMIT_BYTES) -> None:
        self._every = every
        self._kept_limit = kept_limit
        self.trims = 0
        self.returned_bytes = 0
        self.kept_bytes: int | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="freed-memory", daemon=True)
        self._thread.start()

    def stop(self, deadline: float) -> bool:
        self._stopping.set()
        return join(self._thread, deadline)

    def health(self) -> WorkerHealth:
        return WorkerHealth(
            self.name,
            running=is_running(self._thread),
            details={
                "kept_free_mib": None if self.kept_bytes is None else round(self.kept_bytes / MIB),
                "trims": self.trims,
                "returned_mib": round(self.returned_bytes / MIB),
            },
        )

    def check(self) -> None:
        """Trim if glibc keeps more than the limit freed."""
        self.kept_bytes = _kept()
        if self.kept_bytes is None or self.kept_bytes < self._kept_limit:
            return
        me = psutil.Process()
        before, began = me.memory_info().rss, time.perf_counter()
        return_freed_memory()
        returned = max(0, before - me.memory_info().rss)
        self.trims += 1
        self.returned_bytes += returned
        self.kept_bytes = _kept()
        log.info(
            "gave %.0f MiB of freed memory back to the system in %.0f ms",
            returned / MIB,
            (time.perf_counter() - began) * 1000,
        )

    def _run(self) -> None:
        while not self._stopping.wait(self._every):
            self.check()


def _kept() -> int | None:
    figures = heap_figures()
    return None if figures is None else figures[1]
