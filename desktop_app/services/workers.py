"""The one shape of every background part: a `Worker` owns its thread(s),
starts, stops by a shared deadline and reports its health.

The runtime keeps an ordered list of workers, starts them in order and stops
them in reverse, so a new part (the plugin supervisor, the backup scheduler)
plugs in by joining the list, without another special case in the runtime.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol, runtime_checkable

from desktop_app.models.health import WorkerHealth

__all__ = ["Worker", "WorkerHealth", "deadline_in", "is_running", "join", "seconds_left"]

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


@runtime_checkable
class Worker(Protocol):
    name: str

    def start(self) -> None: ...

    def stop(self, deadline: float) -> bool:
        """Finish (committing what was accepted) by `deadline`; True if it did."""
        ...

    def health(self) -> WorkerHealth: ...
