"""The live host view: real psutil readings every second, in memory only,
published on its bus, stopped by the shared deadline."""

from __future__ import annotations

import time

from desktop_app.services.collectors.live_host import HostPoint, LiveHostView
from desktop_app.services.events import EventBus
from desktop_app.services.workers import deadline_in


def test_readings_come_at_once_then_every_interval_and_stop_on_time() -> None:
    bus: EventBus[HostPoint] = EventBus()
    heard: list[HostPoint] = []
    bus.subscribe(heard.append)
    view = LiveHostView(bus, every=0.1)
    view.start()
    try:
        deadline = time.monotonic() + 5
        while len(heard) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(heard) >= 3
        assert all(0 <= p.cpu_percent <= 100 * 64 and 0 < p.memory_percent <= 100 for p in heard)
        assert [p.ts for p in heard] == sorted(p.ts for p in heard)
        assert view.recent()[: len(heard)] == heard[: len(view.recent())]
        assert view.health().ok
    finally:
        assert view.stop(deadline_in(2))
    assert not view.health().running
