"""Errors nobody caught, in any thread: logged to system.log with their
traceback and shown to the operator (the problems bus: the console's status
bar), then handed to the hook that was there before, so a test runner still
turns them into failures. A `Worker`, installed while the monitor runs."""

from __future__ import annotations

import logging
import sys
import threading
import time
from types import TracebackType

from desktop_app.models.health import WorkerHealth
from desktop_app.models.problems import Problem
from desktop_app.services.events import EventBus

log = logging.getLogger("plugin_monitor.errors")


class UncaughtErrors:
    name = "uncaught-errors"

    def __init__(self, problems: EventBus[Problem]) -> None:
        self._problems = problems
        self._previous = sys.excepthook
        self._previous_thread = threading.excepthook
        self.count = 0
        self.last: str | None = None

    def start(self) -> None:
        self._previous, self._previous_thread = sys.excepthook, threading.excepthook
        sys.excepthook = self._main_hook
        threading.excepthook = self._thread_hook

    def stop(self, deadline: float) -> bool:
        del deadline  # nothing to wait for
        if sys.excepthook == self._main_hook:
            sys.excepthook = self._previous
        if threading.excepthook == self._thread_hook:
            threading.excepthook = self._previous_thread
        return True

    def health(self) -> WorkerHealth:
        return WorkerHealth(
            self.name, running=True, details={"count": self.count, "last": self.last}
        )

    def _report(
        self,
        where: str,
        kind: type[BaseException],
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.count += 1
        self.last = f"unexpected error in {where}: {kind.__name__}: {error}"
        log.error("%s", self.last, exc_info=(kind, error, traceback))  # type: ignore[arg-type]
        self._problems.publish(
            Problem(where, f"{self.last} (details in logs/system.log)", time.time())
        )

    def _main_hook(
        self, kind: type[BaseException], error: BaseException, traceback: TracebackType | None
    ) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            self._report("the main thread", kind, error, traceback)
        self._previous(kind, error, traceback)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if not issubclass(args.exc_type, SystemExit):
            name = args.thread.name if args.thread is not None else "a thread"
            self._report(f"thread {name}", args.exc_type, args.exc_value, args.exc_traceback)
        self._previous_thread(args)
