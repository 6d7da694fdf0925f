"""Backtests in their own processes, outside the ingest's GIL.

A backtest replays every raw sample of the window through the alert state
machine in Python: a 30-day one over a plugin pushing every second is
2.6 million samples, several seconds of pure-Python work. Run on a thread
of the monitor, it held the GIL against the API's event loop and pushed the
ingest p99 from 3 ms to 900 ms (four at once). Here each backtest runs in a
child process that opens the database read-only itself, so the monitor only
waits on a pipe (the figures with and without are in docs/performance.md).

The pool is started on the first backtest, not with the monitor (a child
costs about 60 MiB and a second to start, and most sessions never backtest),
and uses half the cores, at least one: the other half stays with ingest.
A monitor that stops while a backtest runs ends the child at once.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from pathlib import Path

from desktop_app.models.health import WorkerHealth
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.analytics.backtest import Backtest, backtest_plugins
from desktop_app.services.analytics.history import History
from desktop_app.services.storage.database import create_database_engine
from desktop_app.services.storage.samples import SampleStore
from desktop_app.services.workers import seconds_left

log = logging.getLogger("plugin_monitor.analytics")

# (plugin key, plugin id, proposed values, current values), as backtest_plugins takes.
Plugins = Sequence[tuple[str, int, ThresholdValues, ThresholdValues]]

_histories: dict[Path | str, History] = {}  # in a child: one engine per database it reads


def _backtest_in_child(database: Path | str, plugins: Plugins, days: int, now: float) -> Backtest:
    history = _histories.get(database)
    if history is None:
        engine = create_database_engine(database, read_only=True)
        history = _histories[database] = History(SampleStore(engine))
    return backtest_plugins(history, plugins, days=days, now=now)


def processes() -> int:
    """Half the cores, at least one."""
    return max(1, (os.cpu_count() or 2) // 2)


class BacktestPool:
    """A `Worker` whose children run backtests; `submit` hands one over. A
    child that dies (killed, out of memory) fails its backtest with
    `BrokenExecutor`, and the next backtest starts a new pool."""

    name = "backtest pool"

    def __init__(self, database: Path | str) -> None:
        """`database`: the SQLite file, or the PostgreSQL URL, its children read."""
        self._database = database
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._stopped = False
        self.done = 0

    def submit(self, plugins: Plugins, *, days: int, now: float) -> Future[Backtest]:
        """Raises RuntimeError once the monitor is stopping."""
        with self._lock:
            if self._stopped:
                raise RuntimeError("the monitor is stopping; no more backtests")
            try:
                future = self._pool().submit(
                    _backtest_in_child, self._database, list(plugins), days, now
                )
            except BrokenExecutor:  # a child died while the pool was idle
                self._executor = None
                future = self._pool().submit(
                    _backtest_in_child, self._database, list(plugins), days, now
                )
        future.add_done_callback(self._finished)
        return future

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn: the monitor has threads, and a forked child would inherit
            # their locks in whatever state they were.
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(processes(), mp_context=context)
            log.info("started %d backtest process(es)", processes())
        return self._executor

    def _finished(self, future: Future[Backtest]) -> None:
        self.done += 1
        broke = not future.cancelled() and isinstance(future.exception(), BrokenExecutor)
        if broke and not self._stopped:  # a stop ends its children on purpose
            log.error("a backtest process ended unexpectedly; the next backtest starts another")
            with self._lock:
                broken, self._executor = self._executor, None
            if broken is not None:
                broken.shutdown(wait=False)

    def start(self) -> None:
        """Nothing to start: the first backtest starts the pool."""

    def stop(self, deadline: float) -> bool:
        with self._lock:
            self._stopped = True
            executor, self._executor = self._executor, None
        if executor is None:
            return True
        children = list(executor._processes.values())
        # The executor's own thread reaps children too: a child it reaped first
        # looks alive to this thread until it has recorded the exit. The first
        # shutdown forgets that thread (a second would not wait for it), so it
        # is kept and joined here; without that, stop said False about 1 run
        # in 3 under CI's load though every child was dead.
        manager: threading.Thread | None = getattr(executor, "_executor_manager_thread", None)
        executor.shutdown(wait=False, cancel_futures=True)
        for child in children:
            child.kill()  # it holds nothing worth saving, and may be busy starting up
        for child in children:  # a killed child is reaped in milliseconds, even under load
            child.join(max(seconds_left(deadline), 1.0))
        if manager is not None:
            manager.join(max(seconds_left(deadline), 1.0))
        return not any(child.is_alive() for child in children)

    def health(self) -> WorkerHealth:
        executor = self._executor
        running = 0 if executor is None else len(executor._processes)
        details = {"processes": running, "backtests_done": self.done}
        return WorkerHealth(self.name, not self._stopped, details=details)
