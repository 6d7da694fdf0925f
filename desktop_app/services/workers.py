"""The one shape of every background part: a `Worker` owns its thread(s),
starts, stops by a shared deadline and reports its health.

The runtime keeps an ordered list of workers, starts them in order and stops
them in reverse, so a new part (the plugin supervisor, the backup scheduler)
plugs in by joining the list, without another special case in the runtime.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from desktop_app.models.health import WorkerHealth

__all__ = [
    "Ticking",
    "Worker",
    "WorkerHealth",
    "deadline_in",
    "is_running",
    "join",
    "seconds_left",
    "start_all",
    "stop_all",
]

log = logging.getLogger("plugin_monitor.runtime")

# The least time a part gets to finish, even when the shared deadline has passed:
# enough to commit a last group, never long enough to hang a shutdown.
MIN_STOP_SECONDS = 0.1


def deadline_in(seconds: float) -> float:
    """A deadline (on the monotonic clock) `seconds` from now."""
    return time.monotonic() + seconds


def seconds_left(deadline: float) -> float:
    return max(MIN_STOP_SECONDS, deadline - time.monotonic())


def join(thread: threading.Thread | None, deadline: float) -> bool:
    """Wait for a worker's thread until the deadline; True if it has ended
    (or never started)."""
    if thread is None:
        return True
    thread.join(seconds_left(deadline))
    return not thread.is_alive()


def is_running(thread: threading.Thread | None) -> bool:
    return thread is not None and thread.is_alive()


class Ticking:
    """The base of a worker that looks at something every `every` seconds on
    a thread of its own (named, a daemon, stopped by the shared deadline).
    `tick` says what went wrong itself; one that raises ends the thread,
    which `running`, and so health, then shows."""

    name: str

    def __init__(self, every: float) -> None:
        self._every = every
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, deadline: float) -> bool:
        self._stopping.set()
        return join(self._thread, deadline)

    @property
    def running(self) -> bool:
        return is_running(self._thread)

    def _loop(self) -> None:
        while not self._stopping.wait(self._every):
            self.tick()


@runtime_checkable
class Worker(Protocol):
    name: str

    def start(self) -> None: ...

    def stop(self, deadline: float) -> bool:
        """Finish (committing what was accepted) by `deadline`; True if it did."""
        ...

    def health(self) -> WorkerHealth: ...


def start_all(workers: Sequence[Worker], deadline_seconds: float) -> None:
    """Start each in order; if one cannot start, stop those started (by one
    deadline `deadline_seconds` away) and re-raise."""
    started: list[Worker] = []
    try:
        for worker in workers:
            worker.start()
            started.append(worker)
    except BaseException:
        stop_all(started, deadline_in(deadline_seconds))
        raise


def stop_all(workers: Sequence[Worker], deadline: float) -> bool:
    """Stop in reverse order (the last started first), all by `deadline`;
    True if every one finished. One that fails is logged, the rest still stop."""
    finished = True
    for worker in reversed(workers):
        try:
            finished &= worker.stop(deadline)
        except Exception:
            log.exception("%s did not stop cleanly", worker.name)
            finished = False
    return finished
