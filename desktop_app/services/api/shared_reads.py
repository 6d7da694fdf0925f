"""Identical reads in flight at the same time are computed once.

Consoles and dashboards poll the same plugin's analytics together: with 8
readers of one dense plugin (`benchmarks/bench_load.py`), each read of
240 to 300 ms alone took 2.3 to 2.9 s on average, as the eight shared the GIL
computing the same answer. A read that arrives while the same read (route,
plugin, window) is being computed waits for that answer instead; it is as
of when that computation began, at most one computation older than its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class SharedReads:
    """On the server's event loop only."""

    def __init__(self) -> None:
        self._running: dict[Hashable, asyncio.Future[Any]] = {}

    async def run(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` in a worker thread, or the answer of the one under way."""
        running = self._running.get(key)
        if running is not None:
            try:
                result: T = await asyncio.shield(running)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if not running.cancelled() or (task is not None and task.cancelling()):
                    raise
            else:
                return result
            # The reader computing it went away first: this one computes it.
        shared: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._running[key] = shared
        try:
            answer = await asyncio.to_thread(compute)
        except Exception as error:
            shared.set_exception(error)
            shared.exception()  # told to whoever waits; never "not retrieved"
            raise
        except BaseException:
            shared.cancel()
            raise
        else:
            shared.set_result(answer)
            return answer
        finally:
            if self._running.get(key) is shared:
                del self._running[key]
