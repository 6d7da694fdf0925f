"""One client of the WebSocket stream: what it asked for, and its bounded
queue (a client that cannot keep up is cut off, never slows the others)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

from desktop_app.models.alerts import AlertEvent
from desktop_app.models.auth import Principal
from desktop_app.models.levels import AlertLevel

QUEUE_SIZE = 1000


@dataclass(eq=False)
class StreamClient:
    principal: Principal
    plugins: set[str] = field(default_factory=set)
    levels: set[AlertLevel] = field(default_factory=set)
    silenced: bool = True  # `{"type": "filter", "silenced": false}` drops silenced events
    last_sent: int = 0
    # Alert events as (seq, text), samples as (0, text); None: it fell behind.
    queue: asyncio.Queue[tuple[int, str] | None] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_SIZE)
    )
    # Samples it asked for (`subscribe_samples`): None, none (what clients
    # that never ask get); empty, every plugin's; else these plugins'.
    sample_plugins: set[str] | None = None
    overflowed: bool = False
    # Messages it may still send now: refilled at the limit a second, up to it.
    allowance: float = 0.0
    counted_at: float = field(default_factory=time.monotonic)

    def spend(self, per_second: int) -> bool:
        """One message received; False when it is over `per_second`."""
        now = time.monotonic()
        elapsed, self.counted_at = now - self.counted_at, now
        self.allowance = min(float(per_second), self.allowance + elapsed * per_second)
        if self.allowance < 1.0:
            return False
        self.allowance -= 1.0
        return True

    def wants(self, event: AlertEvent) -> bool:
        return (
            (not self.plugins or event.alert.plugin_key in self.plugins)
            and (not self.levels or event.alert.level in self.levels)
            and (self.silenced or not event.silenced)
        )

    def offer(self, event: AlertEvent, text: str) -> None:
        if self.wants(event):
            self._put(event.seq, text)

    def offer_samples(self, plugin_key: str, text: str) -> None:
        plugins = self.sample_plugins
        if plugins is not None and (not plugins or plugin_key in plugins):
            self._put(0, text)

    def _put(self, seq: int, text: str) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait((seq, text))
        except asyncio.QueueFull:
            self.overflowed = True
            with contextlib.suppress(asyncio.QueueFull):
                self.queue.get_nowait()
                self.queue.put_nowait(None)
