"""Backups while the monitor runs: every `backup.interval_hours` (hourly by
default, the guide's recovery point of one hour) and on demand (the console's
File → Back up now), one at a time on the scheduler's own thread.

The schedule follows the newest backup in the folder, whoever made it (cron's
auto_backup.py included), so a restart does not back up again at once. A
backup cannot be interrupted once its copy has begun (SQLite's one-step
backup; see storage/snapshot.py): a stop waits for it until the shared
deadline, and a backup cut short by the process ending leaves only a
`.partial-…` folder that the next backup removes.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from pathlib import Path

from desktop_app.config import BackupSettings
from desktop_app.errors import LeftToServerError, OperatorError
from desktop_app.models.alerts import Alert
from desktop_app.models.health import WorkerHealth
from desktop_app.models.plugins import SECURITY_PLUGIN_KEY
from desktop_app.models.samples import Sample
from desktop_app.paths import DataPaths
from desktop_app.services.backup.archive import (
    Backup,
    backup_directory,
    backup_in_progress,
    backups_in,
    record_backup,
    take_backup,
)
from desktop_app.services.backup.keep import prune
from desktop_app.services.backup.sealing import folder_seal
from desktop_app.services.secrets import SecretStore
from desktop_app.services.storage.audit import AuditLog
from desktop_app.services.workers import is_running, join

log = logging.getLogger("plugin_monitor.backup")

FIRST_DELAY = 60.0  # after a start with no recent backup: not while the monitor starts up
RETRY_SECONDS = 300.0  # after a failed scheduled backup
LOOK_SECONDS = 60.0  # how often it looks whether backups are overdue
REPEAT_SECONDS = 300.0  # an overdue state told again (a for_samples above 1 still raises)
SCHEDULE_ACTOR = "monitor (backup.interval_hours)"


class BackupScheduler:
    """A `Worker`."""

    name = "backups"

    def __init__(
        self,
        paths: DataPaths,
        settings: Callable[[], BackupSettings],
        *,
        audit: AuditLog,
        emit: Callable[[list[Sample]], None],
        open_alerts: Callable[[], Iterable[Alert]],
        secrets: SecretStore,
        first_delay: float = FIRST_DELAY,
        left_to_server: str | None = None,
    ) -> None:
        """`emit` takes the security plugin's `backup_overdue` samples;
        `open_alerts` (the engine's) says at start whether one is standing;
        `left_to_server`: why there are no backups (PostgreSQL), said to
        whoever asks for one, and nothing is ever overdue."""
        self._paths = paths
        self._settings = settings
        self._audit = audit
        self._emit = emit
        self._open_alerts = open_alerts
        self._secrets = secrets
        self._started_at = time.time()
        self._told: tuple[bool, float] | None = None  # (overdue, when) last emitted
        self._first_delay = first_delay
        # (who asked, the answer), or None to stop
        self._asked: queue.SimpleQueue[tuple[str, Future[Backup]] | None] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._failed_at: float | None = None
        self.last_error = ""
        self.left_to_server = left_to_server

    @property
    def directory(self) -> Path:
        return backup_directory(self._paths, self._settings())

    def back_up_now(self, *, actor: str) -> Future[Backup]:
        """A backup as soon as the one running (if any) ends; `actor` is who
        asked, for the audit trail."""
        future: Future[Backup] = Future()
        if self.left_to_server is not None:
            future.set_exception(LeftToServerError(self.left_to_server))
        elif self._stopping.is_set():
            future.set_exception(OperatorError("the monitor is stopping; no backup now"))
        else:
            self._asked.put((actor, future))
        return future

    def overdue(self, now: float, newest: Backup | None) -> bool:
        """True when the newest backup (or, with none, this run's start) is
        older than twice `backup.interval_hours` (never with scheduling off)."""
        hours = self._settings().interval_hours
        if hours <= 0 or self.left_to_server is not None:
            return False
        since = self._started_at if newest is None else newest.taken_at
        return now - since > 2 * hours * 3600

    def newest(self) -> Backup | None:
        found = backups_in(self.directory)
        return found[-1] if found else None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="backups", daemon=True)
        self._thread.start()

    def stop(self, deadline: float) -> bool:
        self._stopping.set()
        self._asked.put(None)
        return join(self._thread, deadline)

    def health(self) -> WorkerHealth:
        newest = self.newest()
        details: dict[str, object] = {
            "directory": str(self.directory),
            "newest_backup_age_hours": (
                None if newest is None else round((time.time() - newest.taken_at) / 3600, 2)
            ),
            "last_error": self.last_error,
            "backup_overdue": self.overdue(time.time(), newest),
            "left_to_server": self.left_to_server,
        }
        error = f"the last backup failed: {self.last_error}" if self.last_error else None
        return WorkerHealth(self.name, is_running(self._thread), error=error, details=details)

    def _run(self) -> None:
        started = time.monotonic()
        # Told only when it changes: a start on time says nothing, a start with
        # the alert left open by the last run tells, and so resolves it.
        self._told = None if self._standing() else (False, time.time())
        while not self._stopping.is_set():
            self._tell_overdue()
            wait = self._due_in(time.monotonic() - started)
            try:
                asked = self._asked.get(timeout=max(0.0, min(wait, LOOK_SECONDS)))
            except queue.Empty:
                asked = None
                if self._due_in(time.monotonic() - started) > 0:
                    continue  # the settings changed while it waited
            if self._stopping.is_set():
                if asked is not None:
                    asked[1].set_exception(OperatorError("the monitor is stopping; no backup now"))
                return
            self._back_up(*(asked or (SCHEDULE_ACTOR, None)))

    def _standing(self) -> bool:
        return any(
            (alert.plugin_key, alert.rule) == (SECURITY_PLUGIN_KEY, "backup_overdue")
            for alert in self._open_alerts()
        )

    def _tell_overdue(self) -> None:
        """A sample when the state changes, and again while backups are overdue."""
        now = time.time()
        overdue = self.overdue(now, self.newest())
        told = self._told
        if told is None or told[0] != overdue or (overdue and now - told[1] >= REPEAT_SECONDS):
            self._told = (overdue, now)
            extras = {"backup_overdue": 1.0 if overdue else 0.0}
            self._emit([Sample(SECURITY_PLUGIN_KEY, now, extras=extras)])

    def _due_in(self, running_for: float) -> float:
        """Seconds until the next scheduled backup (inf: none scheduled)."""
        hours = self._settings().interval_hours
        if hours <= 0 or self.left_to_server is not None:
            return float("inf")
        now = time.time()
        if self._failed_at is not None:
            return self._failed_at + RETRY_SECONDS - now
        newest = self.newest()
        due = now if newest is None else newest.taken_at + hours * 3600
        if due <= now and backup_in_progress(self.directory):
            return LOOK_SECONDS  # another is being made (plugin-monitor backup): it counts
        return max(due - now, self._first_delay - running_for)

    def _back_up(self, actor: str, asked: Future[Backup] | None) -> None:
        settings = self._settings()
        try:
            seal_with = folder_seal(self._secrets) if settings.encrypt else None
            directory = backup_directory(self._paths, settings)
            backup = take_backup(self._paths, directory, seal_with=seal_with)
            record_backup(self._audit.record, actor, backup)
            prune(backup.path.parent, settings)
        except Exception as error:  # whatever failed, the asker hears and the thread lives
            self.last_error = str(error)
            self._failed_at = time.time()
            if isinstance(error, OperatorError | OSError):
                log.error("backup failed: %s", error)
            else:
                log.exception("backup failed unexpectedly")
            if asked is not None:
                asked.set_exception(error)
            return
        self.last_error, self._failed_at = "", None
        self._tell_overdue()
        if asked is not None:
            asked.set_result(backup)
