"""What a failed write means, in the operator's words, and what the writer
does after a full disk.

A fault of the database itself (locked, full, read-only) fails a whole group
of writes; any other fails only its own item. Each becomes a DatabaseError the
API answers with 503, naming the cause.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import Connection, exc

from desktop_app.errors import DatabaseError
from desktop_app.services.storage.database import database_words, is_damage

log = logging.getLogger("plugin_monitor.storage")

_DATABASE_WIDE = ("locked", "busy", "full", "readonly", "disk i/o", "unable to open")
# After a full disk: a checkpoint every 100 pages (400 KB), the WAL truncated
# to 1 MB after each, so a nearly full disk never fills with WAL again.
TIGHT_CHECKPOINT_PAGES = 100
TIGHT_WAL_BYTES = 1024 * 1024


# PostgreSQL's SQLSTATE classes of a fault of the server itself: connection
# (08), out of disk or memory (53), the server stopping (57), and a read-only
# transaction (25006); 55P03 is a lock not granted within lock_timeout.
_SERVER_WIDE_CLASSES = ("08", "53", "57")
_DISK_FULL, _LOCK_TIMEOUT, _READ_ONLY = "53100", "55P03", "25006"


def _sqlstate(error: Exception) -> str:
    """PostgreSQL's code for the error ("" for SQLite's)."""
    orig = error.orig if isinstance(error, exc.DBAPIError) else None
    return str(getattr(orig, "sqlstate", None) or "")


def is_database_wide(error: Exception) -> bool:
    """Faults of the database itself fail the whole group; others only their item."""
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    state = _sqlstate(error)
    if state:
        return state[:2] in _SERVER_WIDE_CLASSES or state in (_LOCK_TIMEOUT, _READ_ONLY)
    return isinstance(error, exc.OperationalError) and any(
        word in str(error.orig).lower() for word in _DATABASE_WIDE
    )


def is_full(error: Exception) -> bool:
    if _sqlstate(error):
        return _sqlstate(error) == _DISK_FULL
    return isinstance(error, exc.OperationalError) and "full" in str(error.orig).lower()


def is_locked(error: exc.OperationalError) -> bool:
    if _sqlstate(error):
        return _sqlstate(error) == _LOCK_TIMEOUT
    return "locked" in str(error.orig) or "busy" in str(error.orig)


def plainly_damaged(detail: str) -> str:
    """Damage in SQLite's words, for a writer without the monitor's health check."""
    return f"the database is damaged ({detail}); restore a backup"


def operator_error(error: Exception, on_damage: Callable[[str], str]) -> Exception:
    """The error a caller of the writer is given (an error of its own job stays as it is)."""
    if is_damage(error):
        return DatabaseError(on_damage(database_words(error)))
    if is_full(error):
        return DatabaseError("the disk holding the database is full; nothing new was stored")
    if isinstance(error, exc.DBAPIError) and (
        error.connection_invalidated or _sqlstate(error)[:2] in ("08", "57")
    ):
        return DatabaseError(
            f"the database server cannot be reached ({database_words(error)}); "
            "nothing new was stored"
        )
    if isinstance(error, exc.OperationalError):
        reason = database_words(error)
        if is_locked(error):
            return DatabaseError(
                "the database is locked by another program; nothing new was stored"
            )
        return DatabaseError(f"the database refused the write: {reason}")
    if isinstance(error, exc.IntegrityError) and "foreign key" in str(error.orig).lower():
        return DatabaseError(
            "a plugin of this write is no longer in the database (it was just replaced or "
            "restored); nothing was stored; try again"
        )
    return error


def shrink_wal(conn: Connection) -> bool:
    """The WAL into the database and truncated, and kept small from then on;
    whether that worked (after a full disk it is tried at each commit until
    it does). SQLite checkpoints only once its WAL holds 1,000 pages (4 MB),
    so on a nearly full disk the WAL grew until the disk was full and stayed
    so: writes stayed refused after space was freed. (PostgreSQL's server
    keeps its own WAL: nothing to do there.)"""
    if conn.dialect.name != "sqlite":
        return True
    try:
        with conn.begin():
            conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={TIGHT_CHECKPOINT_PAGES}")
            conn.exec_driver_sql(f"PRAGMA journal_size_limit={TIGHT_WAL_BYTES}")
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0]
    except exc.DBAPIError as error:
        log.info("the WAL is not yet checkpointed after a full disk: %s", error.orig)
        return False
    return not busy
