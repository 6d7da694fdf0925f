"""Waiting on the writer from the event loop with one wake-up per group.

`asyncio.wrap_future` wakes the loop once per request, and a concurrent
Future costs a lock and a condition each; when the writer commits a group of
thirty requests, that is thirty wake-ups from another thread. The waiter
takes the writer's plain callback, gathers the completions and wakes the
loop once.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

Notify = Callable[[Any, BaseException | None], None]


class LoopWaiter:
    def __init__(self) -> None:
        self._done: list[tuple[asyncio.Future[Any], Any, BaseException | None]] = []
        self._lock = threading.Lock()
        self._scheduled = False

    def expect(self) -> tuple[asyncio.Future[Any], Notify]:
        """An awaitable and the callback that completes it from any thread."""
        waiting: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

        def notify(result: Any, error: BaseException | None) -> None:
            self._finished(waiting, result, error)

        return waiting, notify

    def _finished(
        self, waiting: asyncio.Future[Any], result: Any, error: BaseException | None
    ) -> None:
        with self._lock:
            self._done.append((waiting, result, error))
            if self._scheduled:
                return
            self._scheduled = True
        loop = waiting.get_loop()
        if not loop.is_closed():
            loop.call_soon_threadsafe(self._drain)

    def _drain(self) -> None:
        with self._lock:
            finished, self._done = self._done, []
            self._scheduled = False
        for waiting, result, error in finished:
            if waiting.done():
                continue
            if error is not None:
                waiting.set_exception(error)
            else:
                waiting.set_result(result)
