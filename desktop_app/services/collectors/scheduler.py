"""Runs the collectors every interval in one worker thread.

Monitoring can be paused and resumed (the console's Start/Stop button) and
the interval changed while running. A collector that raises is logged and
skipped for a growing number of intervals (back-off, up to five minutes); the
others keep their schedule.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from desktop_app.models.samples import Sample
from desktop_app.services.collectors.base import Collector
from desktop_app.services.workers import WorkerHealth, is_running, join

log = logging.getLogger("plugin_monitor.monitoring.collectors")

MAX_BACKOFF_SECONDS = 300.0


@dataclass
class _Health:
    failures: int = 0
    retry_at: float = 0.0
    last_error: str | None = None


class CollectionScheduler:
    """Collects every interval while monitoring is on (a `Worker`)."""

    name = "collector"

    def __init__(
        self,
        collectors: Sequence[Collector],
        sink: Callable[[list[Sample]], None],
        *,
        interval: float,
        active: bool = False,
    ) -> None:
        self._collectors = list(collectors)
        self._sink = sink
        self._interval = interval
        self._health = {c.name: _Health() for c in self._collectors}
        self._wake = threading.Event()
        self._stopping = False
        self._active = active
        self._collect_now = False
        self._thread: threading.Thread | None = None
        self.cycles = 0
        self.last_cycle_seconds: float | None = None  # the last collection's duration

    @property
    def interval(self) -> float:
        return self._interval

    @property
    def active(self) -> bool:
        return self._active

    def set_interval(self, seconds: float) -> None:
        self._interval = seconds
        self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="collector", daemon=True)
        self._thread.start()

    def resume(self) -> None:
        """Start monitoring: collect at once, then every interval."""
        if not self._active:
            self._collect_now = True
            self._active = True
            log.info("monitoring started (every %gs)", self._interval)
            self._wake.set()

    def pause(self) -> None:
        if self._active:
            self._active = False
            log.info("monitoring stopped")
            self._wake.set()

    def stop(self, deadline: float) -> bool:
        self._stopping = True
        self._wake.set()
        return join(self._thread, deadline)

    def failing_collectors(self) -> dict[str, str]:
        return {name: h.last_error or "" for name, h in self._health.items() if h.failures}

    def health(self) -> WorkerHealth:
        failing = self.failing_collectors()
        return WorkerHealth(
            self.name,
            running=is_running(self._thread),
            error="; ".join(f"{name}: {why}" for name, why in failing.items()) or None,
            details={
                "monitoring": self._active,
                "interval": self._interval,
                "cycles": self.cycles,
                "last_cycle_seconds": self.last_cycle_seconds,
                "failing": failing,
            },
        )

    def _run(self) -> None:
        next_at = time.monotonic()
        while not self._stopping:
            timeout: float | None = None
            if self._active:
                now = time.monotonic()
                if self._collect_now or now >= next_at:
                    self._collect_now = False
                    self.run_cycle()
                    next_at = now + self._interval
                timeout = max(0.0, next_at - time.monotonic())
            if self._wake.wait(timeout):
                self._wake.clear()
                next_at = min(next_at, time.monotonic() + self._interval)

    def run_cycle(self) -> None:
        now_mono = time.monotonic()
        now = time.time()
        samples: list[Sample] = []
        for collector in self._collectors:
            health = self._health[collector.name]
            if health.retry_at > now_mono:
                continue
            try:
                samples.extend(collector.collect(now))
            except Exception as error:
                health.failures += 1
                health.last_error = f"{type(error).__name__}: {error}"
                delay = min(self._interval * 2 ** (health.failures - 1), MAX_BACKOFF_SECONDS)
                health.retry_at = now_mono + delay
                log.warning(
                    "collector %s failed (%s); retrying in %gs",
                    collector.name,
                    health.last_error,
                    delay,
                    exc_info=health.failures == 1,
                )
                continue
            if health.failures:
                log.info(
                    "collector %s works again after %d failures", collector.name, health.failures
                )
                self._health[collector.name] = _Health()
        self.cycles += 1
        self.last_cycle_seconds = time.monotonic() - now_mono
        if samples:
            self._sink(samples)
