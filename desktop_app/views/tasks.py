"""Work for the UI that must not run on the UI thread (queries, writes,
exports): run in Qt's thread pool, results delivered back as signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop_app.errors import OperatorError

log = logging.getLogger("plugin_monitor.views")


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


def attempt(work: Callable[[], Any]) -> tuple[bool, Any]:
    """The one error contract of background work: (True, the result), or
    (False, a message for the operator). An operator's fault is said as it is;
    anything else is logged with its traceback and said as unexpected."""
    try:
        return True, work()
    except OperatorError as error:
        return False, str(error)
    except Exception as error:
        log.exception("background task failed")
        return False, f"unexpected error: {error}; the details are in logs/system.log"


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self._work = work
        self.signals = signals

    def run(self) -> None:
        ok, outcome = attempt(self._work)
        if ok:
            self.signals.done.emit(outcome)
        else:
            self.signals.failed.emit(outcome)


_alive: set[_Signals] = set()


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[str], None] | None = None,
    *,
    owner: QObject,
) -> None:
    """Run `work()` off the UI thread; `on_done(result)` or `on_error(message)`
    then runs on the UI thread, unless `owner` (the widget the result is for)
    has been deleted meanwhile, as when the window closes during a query."""
    signals = _Signals()
    _alive.add(signals)

    def finish(result: object) -> None:
        _forget(signals)
        if shiboken6.isValid(owner):
            on_done(result)

    def fail(message: str) -> None:
        _forget(signals)
        if not shiboken6.isValid(owner):
            return
        if on_error is not None:
            on_error(message)
        else:
            log.error("background task failed: %s", message)

    signals.done.connect(finish)
    signals.failed.connect(fail)
    QThreadPool.globalInstance().start(_Task(work, signals))


def _forget(signals: _Signals) -> None:
    """Qt holds the connected closures, and they hold `signals`: a cycle the
    garbage collector cannot see. Deleting the object drops its connections;
    without it each task kept its closures and the work's objects for good
    (1,274 tasks' worth in an hour's console soak, bench_soak.py)."""
    _alive.discard(signals)
    signals.deleteLater()


class NewestOnly:
    """Reads for one view asked for in a row (a filter changed, the page shown
    again): only the newest one's answer is shown. Pool threads can answer
    out of order, and an older answer shown last would undo a newer filter."""

    def __init__(self, owner: QObject) -> None:
        self._owner = owner
        self._asked = 0

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self._asked += 1
        asked = self._asked

        def done(result: object) -> None:
            if asked == self._asked:
                on_done(result)

        run_in_background(work, done, on_error, owner=self._owner)
