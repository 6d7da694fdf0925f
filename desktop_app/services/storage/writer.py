"""The single writer: one thread owns every insert and commits in groups.

Callers hand over samples (or a small job) and get a Future that completes
when their group is committed, so an acknowledged sample survives a crash.
The writer commits as soon as its queue runs dry, or when a group reaches the
batch limit — never on a timer, which would cap request rates at the timer's
period. A bad item fails alone: the group is retried item by item.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, exc

from desktop_app.errors import DatabaseError, OperatorError
from desktop_app.models.samples import Sample, SampleBlock
from desktop_app.services.storage.database import BUSY_SECONDS
from desktop_app.services.storage.sample_rows import sample_item, write_samples
from desktop_app.services.storage.write_faults import (
    is_database_wide,
    is_full,
    is_locked,
    operator_error,
    plainly_damaged,
    shrink_wal,
)
from desktop_app.services.storage.writer_items import (
    Item,
    JobItem,
    Notify,
    PauseItem,
    SampleItem,
    WriterStats,
)
from desktop_app.services.workers import WorkerHealth, is_running, seconds_left

log = logging.getLogger("plugin_monitor.storage")

T = TypeVar("T")

LOCK_RETRY_SECONDS = 30.0


class WriterStoppedError(OperatorError):
    """The writer no longer accepts work (the monitor is stopping)."""


_STOP = object()


class DatabaseWriter:
    """The only thread that writes to the database (a `Worker`)."""

    name = "storage-writer"

    def __init__(
        self,
        engine: Engine,
        plugin_id_of: Callable[[str], int | None],
        *,
        batch_limit: int = 5000,
        on_committed: Callable[[Sequence[Sample]], None] | None = None,
        on_damage: Callable[[str], str] = plainly_damaged,
    ) -> None:
        self._engine = engine
        self._plugin_id_of = plugin_id_of
        self._batch_limit = batch_limit
        self._on_committed = on_committed
        # SQLite's words for a damaged file, to the operator's message (DatabaseCheck.found).
        self._on_damage = on_damage
        self._wal_to_shrink = False  # after a full disk, until the WAL is checkpointed
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._accepting = False
        self._accept_lock = threading.Lock()
        self.stats = WriterStats()

    # -- public API ---------------------------------------------------------

    def start(self) -> None:
        self._accepting = True
        self.stats.running = True
        self._thread = threading.Thread(target=self._run, name="storage-writer", daemon=True)
        self._thread.start()

    def stop(self, deadline: float) -> bool:
        """Commit everything already accepted, then end. True if it finished in time."""
        with self._accept_lock:
            if not self._accepting or self._thread is None:
                return True
            self._accepting = False
            self._queue.put(_STOP)
        self._thread.join(seconds_left(deadline))
        finished = not self._thread.is_alive()
        self.stats.running = not finished
        return finished

    @property
    def queue_depth(self) -> int:
        return self._queue.qsize()

    def health(self) -> WorkerHealth:
        stats = self.stats
        return WorkerHealth(
            self.name,
            running=is_running(self._thread),
            error=stats.last_error,
            details={
                "queue_depth": self.queue_depth,
                "committed_samples": stats.committed_samples,
                "failed_items": stats.failed_items,
                "last_commit_at": stats.last_commit_at,
            },
        )

    def submit(self, samples: Sequence[Sample]) -> Future[int]:
        """Queue samples for the next group; the Future gives the count stored.

        Unknown plugins are refused here, before anything is queued, so a
        batch is stored whole or not at all.
        """
        item = sample_item(samples, self._plugin_id_of)
        item.future = Future()
        self._enqueue(item)
        return item.future

    def submit_and_notify(self, samples: Sequence[Sample], notify: Notify) -> None:
        """Like `submit`, but `notify(count, error)` is called on the writer
        thread once committed (or failed), without a Future."""
        item = sample_item(samples, self._plugin_id_of)
        item.notify = notify
        self._enqueue(item)

    def run_job(self, job: Callable[[Connection], T]) -> Future[T]:
        """Run `job(connection)` inside the next group's transaction."""
        item = JobItem(job)
        self._enqueue(item)
        return item.future

    def call(self, job: Callable[[Connection], T], timeout: float) -> T:
        """`run_job` for a caller that must answer someone. After `timeout`
        the job is withdrawn if the writer has not begun it (DatabaseError:
        nothing was done, so a refusal never turns into a late success); once
        begun, its outcome is awaited (a locked database is given up after
        LOCK_RETRY_SECONDS and one more wait of SQLite's own)."""
        future = self.run_job(job)
        try:
            return future.result(timeout)
        except TimeoutError:
            if not future.cancel():
                return future.result(LOCK_RETRY_SECONDS + BUSY_SECONDS + timeout)
            raise DatabaseError(
                f"the database did not take the change within {timeout:g} s (another program "
                "holds it locked, or its disk is slow or has stopped); nothing was changed"
            ) from None

    def pause_for(self, action: Callable[[], T]) -> Future[T]:
        """Commit what came before, close the writer's connection and the
        engine's pool, run `action()`, then reconnect and go on: for work that
        replaces the database file or its content under the monitor. Work
        handed over meanwhile waits in the queue."""
        item = PauseItem(action)
        self._enqueue(item)
        return item.future

    # -- the writer thread --------------------------------------------------

    def _enqueue(self, item: Item | PauseItem) -> None:
        with self._accept_lock:
            if not self._accepting:
                raise WriterStoppedError("the monitor is stopping; nothing more is stored")
            self._queue.put(item)

    def _run(self) -> None:
        stopping = False
        pause: PauseItem | None = None
        while not stopping:
            with self._engine.connect() as conn:
                stopping, pause = self._commit_until_paused(conn)
            if pause is not None:
                self._engine.dispose()
                _run_pause(pause)
        self.stats.running = False

    def _commit_until_paused(self, conn: Connection) -> tuple[bool, PauseItem | None]:
        """Commit groups until told to stop (True) or to pause (the pause)."""
        pending: Any = None
        while True:
            first = self._queue.get() if pending is None else pending
            pending = None
            if first is _STOP:
                return True, None
            if isinstance(first, PauseItem):
                return False, first
            group: list[Item] = [first]
            size = first.size
            while size < self._batch_limit:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP or isinstance(item, PauseItem):
                    pending = item
                    break
                group.append(item)
                size += item.size
            taken = [item for item in group if item.take()]
            if taken:
                self._commit_group(conn, taken)

    def _commit_group(self, conn: Connection, group: list[Item]) -> None:
        started = time.perf_counter()
        try:
            results = self._write_with_lock_retry(conn, group)
        except Exception as error:
            if len(group) > 1 and not is_database_wide(error):
                log.warning("a group of %d items failed; retrying them one by one", len(group))
                for item in group:
                    self._commit_group(conn, [item])
                return
            self._fail(group, error)
            if is_full(error):
                self._wal_to_shrink = not shrink_wal(conn)
            return
        self.stats.observe_commit(time.perf_counter() - started)
        self._complete(group, results)
        if self._wal_to_shrink:
            self._wal_to_shrink = not shrink_wal(conn)

    def _write_with_lock_retry(self, conn: Connection, group: list[Item]) -> list[Any]:
        deadline = time.monotonic() + LOCK_RETRY_SECONDS
        delay = 0.05
        while True:
            try:
                return self._write(conn, group)
            except exc.OperationalError as error:
                if not is_locked(error) or time.monotonic() > deadline:
                    raise
                log.warning("database is locked by another program; retrying in %.2fs", delay)
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    def _write(self, conn: Connection, group: list[Item]) -> list[Any]:
        results: list[Any] = []
        with conn.begin():
            items = [item for item in group if isinstance(item, SampleItem)]
            if items:
                write_samples(conn, items)
            for item in group:
                if isinstance(item, SampleItem):
                    results.append(len(item.rows))
                else:
                    results.append(item.job(conn))
        return results

    def _complete(self, group: list[Item], results: list[Any]) -> None:
        """Settle each item, then tell the subscriber: the loose samples of the
        group together, each block on its own (read in bulk, never as objects)."""
        loose: list[Sample] = []
        parts: list[Sequence[Sample]] = [loose]
        for item, result in zip(group, results, strict=True):
            if isinstance(item, SampleItem):
                if isinstance(item.samples, SampleBlock):
                    parts.append(item.samples)
                else:
                    loose.extend(item.samples)
            item.settle(result, None)
        committed = [part for part in parts if part]
        self.stats.committed_samples += sum(len(part) for part in committed)
        self.stats.committed_groups += 1
        self.stats.last_commit_at = time.time()
        self.stats.last_error = None
        if self._on_committed is not None:
            for part in committed:
                try:
                    self._on_committed(part)
                except Exception:
                    log.exception("a subscriber to committed samples failed")

    def _fail(self, group: list[Item], error: Exception) -> None:
        error = operator_error(error, self._on_damage)
        self.stats.failed_items += len(group)
        self.stats.last_error = str(error)
        log.error("write failed: %s", error)
        for item in group:
            item.settle(None, error)


def _run_pause(pause: PauseItem) -> None:
    try:
        pause.future.set_result(pause.action())
    except Exception as error:
        pause.future.set_exception(error)
