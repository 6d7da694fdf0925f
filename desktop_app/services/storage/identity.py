"""Whether the database file the monitor has open is still the one it took up.

Replaced behind its back, a database changes in one of two ways: the guide's
`sqlite3 … ".restore …"` rewrites it in place through SQLite's backup API,
which raises the file's schema cookie by exactly one and leaves the schema's
text as it was; a file moved over it is another inode. The monitor never
changes its schema while it runs. Any other change of the cookie is another
program's DDL (an index, a trigger added, or added and dropped again), not a
replacement.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection


@dataclass(frozen=True)
class DatabaseIdentity:
    inode: tuple[int, int] | None  # (device, inode); None: the file is gone
    schema_version: int


def identity_of(conn: Connection, path: Path) -> DatabaseIdentity:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        inode = None
    else:
        inode = (found.st_dev, found.st_ino)
    version = int(conn.exec_driver_sql("PRAGMA schema_version").scalar_one())
    return DatabaseIdentity(inode, version)


def schema_text(conn: Connection) -> str:
    """Every table, index, view and trigger as declared (not where it is stored)."""
    rows = conn.exec_driver_sql(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name"
    )
    return "\n".join("|".join(row) for row in rows)
