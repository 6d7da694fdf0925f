"""Damage to the database, found while the monitor runs (R19).

A file damaged mid-way (a bad disk sector, a copy over a live file) opens
and migrates as if sound: only the pages read later fail. So SQLite's quick
check runs once in the background after start, and any part that
meets SQLITE_CORRUPT says so here (the writer, an API read). Either turns
health to "database damaged", naming the file and the newest backup to
restore; the console offers that restore. A restore (its copy checked)
clears it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine

from desktop_app.models.problems import DATABASE_DAMAGED, Problem
from desktop_app.services.backup.archive import Backup
from desktop_app.services.events import EventBus
from desktop_app.services.storage.database import is_file_database, quick_check
from desktop_app.services.workers import WorkerHealth, is_running, join

log = logging.getLogger("plugin_monitor.storage")

# After start-up's own reads; the quick check reads the whole file (about 10 s a GB).
CHECK_DELAY_SECONDS = 2.0


class DatabaseCheck:
    """A `Worker`: the background check, and what every part found."""

    name = "database-check"

    def __init__(
        self,
        where: str,
        engine: Engine,
        problems: EventBus[Problem],
        newest_backup: Callable[[], Backup | None],
    ) -> None:
        self._where = where  # the file, or the PostgreSQL URL without its password
        self._engine = engine
        self._problems = problems
        self._newest_backup = newest_backup
        self.damage: str | None = None
        self.checked_at: float | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="database-check", daemon=True)
        self._thread.start()

    def stop(self, deadline: float) -> bool:
        self._stopping.set()
        return join(self._thread, deadline)

    def health(self) -> WorkerHealth:
        return WorkerHealth(
            self.name,
            running=True,  # its work is done once; damage is its error
            error=self.damage,
            details={"checked_at": self.checked_at, "running_check": is_running(self._thread)},
        )

    def found(self, detail: str) -> str:
        """Damage met by some part (`detail`: SQLite's words); the operator's message."""
        with self._lock:
            if self.damage is not None:
                return self.damage
            self.damage = message = self._worded(detail)
        log.error("%s", message)
        self._problems.publish(Problem(DATABASE_DAMAGED, message, time.time()))
        return message

    def restored(self) -> None:
        """The data was replaced by a restore, whose copy passed quick_check."""
        with self._lock:
            self.damage = None
        self.checked_at = time.time()

    def _run(self) -> None:
        if not is_file_database(self._engine):
            return  # PostgreSQL checks its own pages, and says XX001 when one is damaged
        if self._stopping.wait(CHECK_DELAY_SECONDS):
            return
        try:
            findings = quick_check(self._engine)
        except Exception as error:  # busy or gone: not damage; said, not guessed
            log.warning("could not check %s for damage: %s", self._where, error)
            return
        self.checked_at = time.time()
        if findings != ["ok"]:
            self.found("; ".join(findings[:3]))

    def _worded(self, detail: str) -> str:
        newest = self._newest_backup()
        if not is_file_database(self._engine):
            advice = "the server's log names what; restore it from your PostgreSQL backups"
        elif newest is None:
            advice = "no backup to restore: stop the monitor and move the file aside"
        else:
            hours = (time.time() - newest.taken_at) / 3600
            advice = (
                f"restore the newest backup, {newest.name} ({hours:.1f} h old): "
                f"File → Restore from backup…, or plugin-monitor restore {newest.name}"
            )
        return f"the database {self._where} is damaged ({detail}); {advice}"
