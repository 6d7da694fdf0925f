"""Open the SQLite database: WAL mode, pragmas, schema migrations.

The schema version lives in `PRAGMA user_version`. A fresh file gets the
current schema; an older one is upgraded step by step in one transaction; a
newer one is refused, so an old console never damages a newer database.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc, text

from desktop_app.errors import DatabaseError
from desktop_app.models import tables
from desktop_app.paths import create_private, tighten

log = logging.getLogger("plugin_monitor.storage")

SQLITE_HEADER = b"SQLite format 3\x00"
# PRAGMA application_id: "PMON". A database that carries it is this program's.
APPLICATION_ID = 0x504D4F4E
# Where the header keeps what the checks below read before anything opens the file.
_WAL_FORMAT_OFFSET, _USER_VERSION_OFFSET, _APPLICATION_ID_OFFSET = 18, 60, 68
OWN_TABLES = frozenset({"plugins", "samples", "alerts"})
# How long a statement waits for another connection's lock before it fails.
BUSY_SECONDS = 5.0

READABLE_VIEW = """
CREATE VIEW IF NOT EXISTS samples_readable AS
SELECT p.key AS plugin,
       strftime('%Y-%m-%dT%H:%M:%fZ', s.ts / 1000000.0, 'unixepoch') AS time_utc,
       s.*
FROM samples AS s JOIN plugins AS p ON p.id = s.plugin_id
"""


def _create_readable_view(conn: Connection) -> None:
    conn.exec_driver_sql(READABLE_VIEW)


def _add_api_keys_and_response_times(conn: Connection) -> None:
    tables.metadata.create_all(conn, tables=[tables.api_keys, tables.response_times])


def _add_rollups(conn: Connection) -> None:
    """Existing samples are rolled up by the background worker after the upgrade."""
    tables.metadata.create_all(conn, tables=[tables.rollups])


def _add_evaluation_marks(conn: Connection) -> None:
    """The history stored so far counts as evaluated (it was, by the version
    that stored it): each plugin's mark starts at its newest sample."""
    _add_column(conn, "plugins", "evaluated_until", "BIGINT")
    conn.exec_driver_sql(
        "UPDATE plugins SET evaluated_until = "
        "(SELECT MAX(ts) FROM samples WHERE samples.plugin_id = plugins.id)"
    )


def _add_column(conn: Connection, table: str, column: str, declaration: str) -> None:
    columns = {row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table})")}
    if column not in columns:
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


def _add_silences_and_flapping(conn: Connection) -> None:
    """Silences, whether each stored alert event was silenced, whether an
    alert is flapping, and command-line globs for watched processes."""
    tables.metadata.create_all(conn, tables=[tables.silences])
    _add_column(conn, "alert_events", "silenced", "BOOLEAN NOT NULL DEFAULT 0")
    _add_column(conn, "alerts", "flapping", "BOOLEAN NOT NULL DEFAULT 0")
    _add_column(conn, "plugins", "process_cmdline", "TEXT")


def _add_webhooks_and_historical_alerts(conn: Connection) -> None:
    """Webhooks (their secrets live in the secret store) and alerts recorded
    from back-filled history."""
    tables.metadata.create_all(conn, tables=[tables.webhooks])
    _add_column(conn, "alerts", "historical", "BOOLEAN NOT NULL DEFAULT 0")


def _add_key_last_use(conn: Connection) -> None:
    _add_column(conn, "api_keys", "last_used_at", "BIGINT")


def _add_key_scopes_and_owners(conn: Connection) -> None:
    """Keys' scopes, expiry and last address; the key that registered a plugin."""
    _add_column(conn, "api_keys", "last_used_from", "VARCHAR(64)")
    _add_column(conn, "api_keys", "ingest_only", "BOOLEAN NOT NULL DEFAULT 0")
    _add_column(conn, "api_keys", "plugins", "VARCHAR(200) NOT NULL DEFAULT ''")
    _add_column(conn, "api_keys", "expires_at", "BIGINT")
    _add_column(conn, "plugins", "registered_by", "INTEGER")


# MIGRATIONS[n] turns schema version n into n + 1. Version 1 was the tables
# alone; version 2 adds a view that the sqlite3 shell can read at a glance;
# version 3 adds API keys and per-request response times; version 4 rollups;
# version 5 the alert engine's evaluation marks; version 6 silences and flapping;
# version 7 webhooks and historical alerts; version 8 when each API key was last used;
# version 9 key scopes and the key that registered each plugin.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _create_readable_view,
    2: _add_api_keys_and_response_times,
    3: _add_rollups,
    4: _add_evaluation_marks,
    5: _add_silences_and_flapping,
    6: _add_webhooks_and_historical_alerts,
    7: _add_key_last_use,
    8: _add_key_scopes_and_owners,
}
SCHEMA_VERSION = 9


def engine_version() -> str:
    """The SQLite library's version, for About and bug reports."""
    return f"SQLite {sqlite3.sqlite_version}"


def check_database_file(path: Path) -> None:
    """Refuse, touching nothing, a file that is not a SQLite database or a
    database that belongs to another program. Read from the header and, for an
    unmarked database that SQLite has never switched to WAL, a read-only look
    at its tables: no WAL switch, no file or folder created."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot be read: {exc.strerror}") from None
    if not header:
        return
    if header[: len(SQLITE_HEADER)] != SQLITE_HEADER or len(header) < 100:
        raise DatabaseError(
            f"{path}: is not a SQLite database; move it aside (nothing was changed) "
            "or choose another data folder"
        )
    marked = int.from_bytes(header[_APPLICATION_ID_OFFSET : _APPLICATION_ID_OFFSET + 4], "big")
    if marked == APPLICATION_ID:
        return
    if marked or (header[_WAL_FORMAT_OFFSET] != 2 and not _has_own_tables(path)):
        raise DatabaseError(
            f"{path}: holds another program's tables, not Plugin Monitor's; "
            "choose another data folder (nothing was changed)"
        )


def _has_own_tables(path: Path) -> bool:
    """A read-only look at an unmarked rollback-journal database's tables."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError:
        return True  # let the full open name the damage
    return not names or names >= OWN_TABLES


def make_private(path: Path) -> None:
    """The database and its WAL and shared-memory files: owner only (0600).
    A new file is created so; a looser existing one is tightened, and said so."""
    if not path.exists():
        os.close(create_private(path))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        tighten(file)


def create_database_engine(
    path: Path, *, synchronous: str = "normal", read_only: bool = False
) -> Engine:
    """An engine whose every connection uses WAL, a busy timeout and FKs.

    `read_only`: for a reader in another process (a backtest) beside the
    monitor, which has made the file WAL: its connections refuse writes."""
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_SECONDS},
        pool_size=1 if read_only else 8,
        max_overflow=0 if read_only else 16,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000:.0f}")
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        else:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
            cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def open_database(path: Path, *, synchronous: str = "normal") -> Engine:
    """Open (creating or upgrading) the database, or explain why it cannot be."""
    check_database_file(path)
    make_private(path)
    engine = create_database_engine(path, synchronous=synchronous)
    try:
        migrate(engine, path)
    except exc.OperationalError as error:
        engine.dispose()
        raise DatabaseError(f"{path}: {_sqlite_message(error)}") from None
    except exc.DatabaseError as error:
        engine.dispose()
        raise DatabaseError(
            f"{path}: is damaged ({_sqlite_message(error)}); restore a backup or move it aside"
        ) from None
    return engine


def migrate(engine: Engine, path: Path) -> None:
    with engine.begin() as conn:
        version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
        has_tables = conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).scalar_one()
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{path}: was made by a newer Plugin Monitor (schema {version}; this version "
                f"reads up to {SCHEMA_VERSION}); upgrade Plugin Monitor or use another data folder"
            )
        if version == 0 and not has_tables:
            tables.metadata.create_all(conn)
            _create_readable_view(conn)
            log.info("created database %s at schema %d", path, SCHEMA_VERSION)
        elif conn.exec_driver_sql("PRAGMA application_id").scalar_one() != APPLICATION_ID:
            if version == 0:
                raise DatabaseError(
                    f"{path}: holds another program's tables, not Plugin Monitor's; "
                    "choose another data folder (nothing was changed)"
                )
            log.info("%s is Plugin Monitor's (schema %d); marking it as such", path, version)
        if 0 < version < SCHEMA_VERSION:
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](conn)
            log.info("upgraded database %s from schema %d to %d", path, version, SCHEMA_VERSION)
        conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


# What SQLite says of a damaged file (SQLITE_CORRUPT and SQLITE_NOTADB).
DAMAGE_WORDS = ("malformed", "not a database", "database corruption")


# What a read or write can raise: SQLAlchemy's wrapper, or, from the hot reads
# that use SQLite's own cursor, SQLite's error unwrapped.
DATABASE_ERRORS: tuple[type[Exception], ...] = (exc.DBAPIError, sqlite3.DatabaseError)


def sqlite_words(error: BaseException) -> str:
    """What SQLite said, from either kind of error."""
    orig = error.orig if isinstance(error, exc.DBAPIError) else None
    return str(orig if orig is not None else error)


def is_damage(error: BaseException) -> bool:
    """Whether a database error means the file is damaged (not busy, not full)."""
    orig = error.orig if isinstance(error, exc.DBAPIError) else error
    return isinstance(orig, sqlite3.DatabaseError) and any(
        word in str(orig).lower() for word in DAMAGE_WORDS
    )


def quick_check(engine: Engine) -> list[str]:
    """`PRAGMA quick_check`'s findings: ["ok"] for a sound file. A damaged
    one either lists what is wrong or fails outright, said as one finding."""
    try:
        with engine.connect() as conn:
            return [str(row[0]) for row in conn.exec_driver_sql("PRAGMA quick_check")]
    except exc.DatabaseError as error:
        if not is_damage(error):
            raise
        return [_sqlite_message(error)]


def integrity_check(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("PRAGMA integrity_check")).scalar_one())


def _sqlite_message(error: exc.DBAPIError) -> str:
    return str(error.orig) if error.orig is not None else str(error)
