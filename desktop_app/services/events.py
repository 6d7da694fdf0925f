"""An in-process event bus: publishers never wait on slow subscribers.

Subscribers are called in the publisher's thread and must only hand the
event on (to a queue, a Qt signal, a socket buffer). One that raises is
logged and kept; it never stops delivery to the others.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger("plugin_monitor.events")

E = TypeVar("E")


class EventBus(Generic[E]):
    def __init__(self) -> None:
        self._subscribers: tuple[Callable[[E], None], ...] = ()
        self._lock = threading.Lock()

    def subscribe(self, callback: Callable[[E], None]) -> Callable[[], None]:
        """Add a subscriber; returns the function that removes it."""
        with self._lock:
            self._subscribers = (*self._subscribers, callback)

        def unsubscribe() -> None:
            with self._lock:
                self._subscribers = tuple(s for s in self._subscribers if s is not callback)

        return unsubscribe

    def publish(self, event: E) -> None:
        for callback in self._subscribers:
            try:
                callback(event)
            except Exception:
                log.exception("event subscriber %r failed", callback)
