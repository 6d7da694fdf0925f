"""An online copy of the live database, for a backup (R19).

Through SQLite's backup API in one step, never by copying the file: a file
copy can catch a half-written page and misses what is still in the WAL. One
step reads one consistent snapshot while the monitor goes on writing (WAL
lets a reader and the writer run together); a copy made in several steps
would start again each time the writer commits, which under continuous
ingestion is always. The copy is checked with `PRAGMA integrity_check` and
turned into a plain rollback-journal file, so the `sqlite3` shell opens it as
the guide shows.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop_app.errors import DatabaseError

BUSY_MS = 30_000  # the monitor's writer holds its lock for milliseconds at a time


@dataclass(frozen=True)
class Snapshot:
    schema_version: int
    rows: dict[str, int]  # by table


def copy_database(source: Path, target: Path) -> Snapshot:
    """Copy `source` (the live database) to `target` (a new file); raises
    DatabaseError when the source is missing or the copy is not sound."""
    if not source.is_file():
        raise DatabaseError(f"{source}: no database to back up")
    reader = sqlite3.connect(source, timeout=BUSY_MS / 1000)
    try:
        copy = sqlite3.connect(target)
        try:
            reader.backup(copy)
            return _checked(copy, source)
        finally:
            copy.close()
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{source}: cannot be backed up: {error}") from None
    finally:
        reader.close()


def _checked(copy: sqlite3.Connection, source: Path) -> Snapshot:
    copy.execute("PRAGMA journal_mode=DELETE")
    problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        shown = "; ".join(problems[:3])
        raise DatabaseError(f"{source}: the copy failed its integrity check ({shown})")
    version = int(copy.execute("PRAGMA user_version").fetchone()[0])
    return Snapshot(version, _rows(copy))


def row_counts(database: Path) -> dict[str, int]:
    """Rows by table of a database file (a restored backup, to check it)."""
    with contextlib.closing(sqlite3.connect(database)) as conn:
        return _rows(conn)


def _rows(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {
        name: int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in tables
    }
