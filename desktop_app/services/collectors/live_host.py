"""The host's CPU, memory, disk and network every second, in memory only, for a console
that is alive from its first second whatever `collection.interval` stores.

Nothing here is stored: the stored samples (every collection interval) are
the history; this is the view of now. The last `KEEP` points are kept, so a
chart shown late still has its quarter hour.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass

import psutil

from desktop_app.models.health import WorkerHealth
from desktop_app.services.collectors.counters import HostCpu
from desktop_app.services.events import EventBus
from desktop_app.services.workers import is_running, join

log = logging.getLogger("plugin_monitor.monitoring.collectors")

EVERY_SECONDS = 1.0
FIRST_AFTER_SECONDS = 0.25  # CPU % needs two readings; the first point comes this soon
KEEP = 900


@dataclass(frozen=True, slots=True)
class HostPoint:
    ts: float
    cpu_percent: float
    memory_percent: float
    disk_bytes_per_s: float | None = None  # read + written; None on the first reading
    net_bytes_per_s: float | None = None  # received + sent


class LiveHostView:
    """A `Worker`: one thread, one reading a second, published on `bus`."""

    name = "live-host"

    def __init__(self, bus: EventBus[HostPoint], every: float = EVERY_SECONDS) -> None:
        self.bus = bus
        self._every = every
        self._points: deque[HostPoint] = deque(maxlen=KEEP)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._error: str | None = None
        self._cpu: HostCpu | None = None
        self._moved: tuple[float, float, float] | None = None  # (when, disk bytes, net bytes)

    def start(self) -> None:
        self._cpu = HostCpu()  # the baseline the first reading compares to
        self._moved = self._bytes_moved()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, deadline: float) -> bool:
        self._stopping.set()
        return join(self._thread, deadline)

    def recent(self) -> list[HostPoint]:
        return list(self._points)

    def health(self) -> WorkerHealth:
        return WorkerHealth(
            self.name, is_running(self._thread), self._error, {"points": len(self._points)}
        )

    @staticmethod
    def _bytes_moved() -> tuple[float, float, float]:
        disk, net = psutil.disk_io_counters(), psutil.net_io_counters()
        return (
            time.monotonic(),
            float(disk.read_bytes + disk.write_bytes) if disk else 0.0,
            float(net.bytes_recv + net.bytes_sent) if net else 0.0,
        )

    def _rates(self) -> tuple[float | None, float | None]:
        """Disk and network bytes per second since the last reading (counters
        that went backwards, as after a device reset, give no rate)."""
        now = self._bytes_moved()
        before, self._moved = self._moved, now
        if before is None or now[0] <= before[0]:
            return None, None
        spent = now[0] - before[0]
        disk, net = (now[i] - before[i] for i in (1, 2))
        return (
            disk / spent if disk >= 0 else None,
            net / spent if net >= 0 else None,
        )

    def _read(self) -> HostPoint:
        disk, net = self._rates()
        cpu = self._cpu.percent() if self._cpu is not None else 0.0
        return HostPoint(time.time(), cpu, psutil.virtual_memory().percent, disk, net)

    def _run(self) -> None:
        wait = FIRST_AFTER_SECONDS
        while not self._stopping.wait(wait):
            started = time.monotonic()
            try:
                point = self._read()
            except (OSError, psutil.Error) as error:
                if self._error is None:
                    log.warning("the live host view could not read the host: %s", error)
                self._error = f"the host could not be read: {error}"
            else:
                self._error = None
                self._points.append(point)
                self.bus.publish(point)
            wait = max(0.0, self._every - (time.monotonic() - started))
