"""Noticing a database replaced behind the monitor's back (the guide's
`sqlite3 … ".restore …"`, or a file copied over it) within a second or two,
and having the monitor take up the new content instead of answering from
what it remembers of the old (plugins registered since the backup would
otherwise fail every push).

The check runs as a job on the database writer, between two groups of
writes, so it never races the monitor's own restore: that rebases the watch
while the writer is paused for it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine

from desktop_app.services.storage.identity import DatabaseIdentity, identity_of, schema_text
from desktop_app.services.storage.writer import DatabaseWriter, WriterStoppedError
from desktop_app.services.workers import WorkerHealth, is_running, join

log = logging.getLogger("plugin_monitor.storage")
T = TypeVar("T")

# Each look is one PRAGMA on the writer's connection: about 50 µs.
LOOK_SECONDS = 1.0
# The writer answers within this even at full ingest; longer means the disk has stopped.
JOB_SECONDS = 30.0


class DeletedError(Exception):
    """The database file is gone from its folder (its content lives on while open)."""


class DatabaseWatch:
    """A `Worker`: calls `take_up(reason)` when the database was replaced."""

    name = "database-watch"

    def __init__(
        self,
        path: Path,
        engine: Engine,
        writer: DatabaseWriter,
        take_up: Callable[[str], None],
    ) -> None:
        self._path = path
        self._engine = engine
        self._writer = writer
        self._take_up = take_up
        self._known: DatabaseIdentity | None = None
        self._schema = ""
        self.replacements = 0
        self.error: str | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.rebase()
        self._thread = threading.Thread(target=self._run, name="database-watch", daemon=True)
        self._thread.start()

    def stop(self, deadline: float) -> bool:
        self._stopping.set()
        return join(self._thread, deadline)

    def health(self) -> WorkerHealth:
        details = {"replaced_behind_its_back": self.replacements}
        return WorkerHealth(self.name, is_running(self._thread), self.error, details)

    def rebase(self) -> None:
        """The file as it is now is the monitor's (at start, after its own restore)."""
        with self._engine.connect() as conn:
            self._known = identity_of(conn, self._path)
            self._schema = schema_text(conn)

    def _run(self) -> None:
        while not self._stopping.wait(LOOK_SECONDS):
            try:
                self._look()
            except WriterStoppedError:
                return
            except DeletedError as gone:
                if self.error is None:
                    log.error("%s", gone)
                self.error = str(gone)
            except Exception as error:  # said in health, looked at again next second
                if self.error is None:
                    log.exception("could not check whether %s was replaced", self._path)
                self.error = f"could not check whether {self._path} was replaced: {error}"
            else:
                self.error = None

    def _look(self) -> None:
        now = self._on_writer(lambda conn: identity_of(conn, self._path))
        if now == self._known:
            return
        if now.inode is None:  # reopening would make an empty database
            raise DeletedError(
                f"{self._path} was deleted while the monitor runs: it goes on storing into the "
                "deleted file, which is lost when it stops; stop it and restore the newest backup"
            )
        assert self._known is not None, "start() rebases first"
        if now.inode == self._known.inode:
            restored = now.schema_version == self._known.schema_version + 1
            if not restored or self._on_writer(schema_text) != self._schema:
                log.warning("another program changed the schema of %s", self._path)
                self.rebase()
                return
            change = "its content was replaced (through SQLite's backup, e.g. sqlite3 .restore)"
        else:
            change = "the file was replaced"
        self.replacements += 1
        log.warning(
            "%s: %s behind the monitor's back; reopening it and taking up its content",
            self._path,
            change,
        )
        self._writer.pause_for(self.rebase).result(JOB_SECONDS)
        self._take_up(f"{change}, behind the monitor's back")

    def _on_writer(self, read: Callable[[Connection], T]) -> T:
        """A read between two groups of writes, never during the monitor's own restore."""
        return self._writer.run_job(read).result(JOB_SECONDS)
