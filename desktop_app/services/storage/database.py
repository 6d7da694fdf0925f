"""Open the database: the data folder's SQLite file (WAL mode, pragmas,
schema migrations) or, when `storage.database_url` names one, PostgreSQL.

On SQLite the schema version lives in `PRAGMA user_version`. A fresh file
gets the current schema; an older one is upgraded step by step in one
transaction; a newer one is refused, so an old console never damages a
newer database.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, text

from desktop_app.errors import DatabaseError
from desktop_app.paths import create_private, tighten
from desktop_app.services.storage import postgres, schema
from desktop_app.services.storage.schema import (
    APPLICATION_ID,
    OWN_TABLES,
    POOL_EXTRA,
    POOL_KEPT,
    SCHEMA_VERSION,
)

log = logging.getLogger("plugin_monitor.storage")

SQLITE_HEADER = b"SQLite format 3\x00"
# Where the header keeps what the checks below read before anything opens the file.
_WAL_FORMAT_OFFSET, _USER_VERSION_OFFSET, _APPLICATION_ID_OFFSET = 18, 60, 68
# How long a statement waits for another connection's lock before it fails.
BUSY_SECONDS = 5.0
# Each connection's page cache (KiB), with the pool's size (schema.POOL_KEPT and
# POOL_EXTRA) SQLite's memory budget: at most 24 connections, 48 MiB. In the hour's soak
# of `serve` (benchmarks/bench_soak.py: 1,000 samples/s, a viewer reading an hour of a
# 50 Hz plugin every 5 s) all of SQLite took 10-16 MiB (sqlite3_status64), a tenth of the
# process's C heap: reads cost the rows they fetch into Python, not the cache.
CACHE_KIB_PER_CONNECTION = 2048


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
    where: Path | str, *, synchronous: str = "normal", read_only: bool = False
) -> Engine:
    """An engine whose every connection uses WAL, a busy timeout and FKs
    (or PostgreSQL's, for a URL).

    `read_only`: for a reader in another process (a backtest) beside the
    monitor, which has made the file WAL: its connections refuse writes."""
    if isinstance(where, str):
        return postgres.create_postgres_engine(where, read_only=read_only)
    path = where
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_SECONDS},
        pool_size=1 if read_only else POOL_KEPT,
        max_overflow=0 if read_only else POOL_EXTRA,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000:.0f}")
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB_PER_CONNECTION}")  # negative: KiB
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        else:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
            cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def open_database(where: Path | str, *, synchronous: str = "normal") -> Engine:
    """Open (creating or upgrading) the database, or explain why it cannot be:
    a SQLite file at a path, or PostgreSQL at a `postgresql://` URL."""
    if isinstance(where, str):
        return postgres.open_postgres(where)
    path = where
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
            schema.create(conn)
            log.info("created database %s at schema %d", path, SCHEMA_VERSION)
        elif conn.exec_driver_sql("PRAGMA application_id").scalar_one() != APPLICATION_ID:
            if version == 0:
                raise DatabaseError(
                    f"{path}: holds another program's tables, not Plugin Monitor's; "
                    "choose another data folder (nothing was changed)"
                )
            log.info("%s is Plugin Monitor's (schema %d); marking it as such", path, version)
        if 0 < version < SCHEMA_VERSION:
            schema.upgrade(conn, version)
            log.info("upgraded database %s from schema %d to %d", path, version, SCHEMA_VERSION)
        conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


# What SQLite says of a damaged file (SQLITE_CORRUPT and SQLITE_NOTADB).
DAMAGE_WORDS = ("malformed", "not a database", "database corruption")


# What PostgreSQL says of damaged data (SQLSTATE XX001 and XX002).
DAMAGE_STATES = ("XX001", "XX002")

_ERRORS: tuple[type[Exception], ...] = (exc.DBAPIError, sqlite3.DatabaseError)


def database_errors() -> tuple[type[Exception], ...]:
    """What a read or write can raise: SQLAlchemy's wrapper, or, from the hot
    reads that use the driver's own cursor, SQLite's or psycopg's error
    unwrapped. psycopg's only once a PostgreSQL engine has loaded it:
    importing it costs 0.2 s of every start on SQLite."""
    psycopg = sys.modules.get("psycopg")
    return _ERRORS if psycopg is None else (*_ERRORS, psycopg.Error)


def is_file_database(engine: Engine) -> bool:
    """SQLite: a file this monitor checks, watches, backs up and restores
    itself. PostgreSQL leaves those to the server and its own tools."""
    return engine.dialect.name == "sqlite"


def location(engine: Engine) -> Path | str:
    """Where the engine's database is: the SQLite file, or the PostgreSQL
    URL (with its password, for a child process to connect with)."""
    if is_file_database(engine):
        return Path(str(engine.url.database))
    return engine.url.render_as_string(hide_password=False)


def shown_location(engine: Engine) -> str:
    """Where the database is, as the operator is shown it (never a password)."""
    where = location(engine)
    return str(where) if isinstance(where, Path) else postgres.shown_url(where)


def size_bytes(engine: Engine) -> tuple[int | None, str | None]:
    """The database's size on disk (the file and its WAL, or the server's
    count), or None and why the server did not answer."""
    where = location(engine)
    if isinstance(where, str):
        try:
            return postgres.database_bytes(engine), None
        except exc.DBAPIError as error:
            return None, f"the database server does not answer ({database_words(error)})"
    files = (where, where.with_name(where.name + "-wal"))
    return sum(file.stat().st_size for file in files if file.exists()), None


def database_words(error: BaseException) -> str:
    """What the database said, from either kind of error, on one line."""
    orig = error.orig if isinstance(error, exc.DBAPIError) else None
    return " ".join(str(orig if orig is not None else error).split())


def is_damage(error: BaseException) -> bool:
    """Whether a database error means the file is damaged (not busy, not full)."""
    orig = error.orig if isinstance(error, exc.DBAPIError) else error
    if state := getattr(orig, "sqlstate", None):  # psycopg's
        return state in DAMAGE_STATES
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


def check_file(path: Path) -> list[str]:
    """`quick_check` of a database file opened read-only, for `self-check`:
    nothing is written, not even a WAL, and a file that is no database at
    all is one finding, not an error."""
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        return quick_check(engine)
    except exc.DatabaseError as error:
        return [_sqlite_message(error)]
    finally:
        engine.dispose()


def integrity_check(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("PRAGMA integrity_check")).scalar_one())


def _sqlite_message(error: exc.DBAPIError) -> str:
    return str(error.orig) if error.orig is not None else str(error)
