"""Open a PostgreSQL database: the central store that many hosts report to.

The same tables as SQLite's, made by the same SQLAlchemy declaration. What
SQLite keeps in its file header (the schema version, whose database it is)
lives here in a one-row table, `plugin_monitor_schema`. Migrations run under
a transaction-level advisory lock, so two monitors starting on one database
never upgrade it twice.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Table,
    create_engine,
    exc,
    inspect,
    select,
)
from sqlalchemy.engine import make_url

from desktop_app.errors import DatabaseError
from desktop_app.services.storage import schema
from desktop_app.services.storage.schema import (
    APPLICATION_ID,
    OWN_TABLES,
    POOL_EXTRA,
    POOL_KEPT,
    SCHEMA_VERSION,
)

log = logging.getLogger("plugin_monitor.storage")

# The only driver: psycopg 3 (binary wheels, server-side COPY, pipelined executemany).
DRIVER = "postgresql+psycopg"
# How long a statement waits for another session's lock before it fails
# (SQLite's busy timeout, the same 5 s).
LOCK_TIMEOUT_MS = 5000
# A server that does not answer at all (a dead host, a dropped packet) is
# given up after this, instead of TCP's minutes.
CONNECT_TIMEOUT_SECONDS = 5

# The advisory lock a running monitor holds on its database (beside the
# migrations' own, APPLICATION_ID, which a second monitor's start takes).
MONITOR_LOCK_KEY = APPLICATION_ID + 1

_own = MetaData()
schema_table = Table("plugin_monitor_schema", _own, Column("version", Integer, nullable=False))


def driver_url(url: str) -> str:
    """The URL SQLAlchemy is given: `postgresql://` and `postgres://` (as
    libpq and most hosting panels write them) mean psycopg 3 here."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return DRIVER + "://" + url[len(plain) :]
    if not url.startswith(DRIVER + "://"):
        raise DatabaseError(
            f"storage.database_url: {shown_url(url)} names a driver Plugin Monitor does not use; "
            f"write it as postgresql://user@host:5432/database (psycopg 3)"
        )
    return url


def shown_url(url: str) -> str:
    """The URL as logs, health and errors show it: never its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return "(an unreadable URL)"


def without_password(url: str) -> str:
    """The URL to show in a command the operator copies: no password at all
    (libpq reads it from ~/.pgpass or PGPASSWORD)."""
    try:
        return make_url(url)._replace(password=None).render_as_string(hide_password=False)
    except exc.ArgumentError:
        return url


def create_postgres_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine whose sessions give up a lock after 5 s, like SQLite's.

    `read_only`: a backtest child's sessions refuse writes."""
    options = f"-c lock_timeout={LOCK_TIMEOUT_MS}"
    if read_only:
        options += " -c default_transaction_read_only=on"
    try:
        return create_engine(
            driver_url(url),
            connect_args={
                "options": options,
                "application_name": "plugin-monitor",
                "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            },
            pool_size=1 if read_only else POOL_KEPT,
            max_overflow=0 if read_only else POOL_EXTRA,
            pool_pre_ping=True,  # a server restart costs one reconnect, not one failed request
        )
    except exc.ArgumentError as error:
        raise DatabaseError(f"storage.database_url: {shown_url(url)}: {error}") from None


def open_postgres(url: str) -> Engine:
    """Open (creating or upgrading) the database at `url`, or explain why not."""
    engine = create_postgres_engine(url)
    try:
        with engine.begin() as conn:
            _migrate(conn, shown_url(url))
    except exc.DBAPIError as error:
        engine.dispose()
        raise DatabaseError(
            f"{shown_url(url)}: cannot open the PostgreSQL database ({server_words(error)})"
        ) from None
    except BaseException:
        engine.dispose()
        raise
    return engine


def _migrate(conn: Connection, shown: str) -> None:
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({APPLICATION_ID})")
    names = set(inspect(conn).get_table_names())
    if schema_table.name not in names:
        if clashing := sorted(names & OWN_TABLES):
            raise DatabaseError(
                f"{shown}: holds tables named like Plugin Monitor's ({', '.join(clashing)}) "
                "that are not its own; use another database (nothing was changed)"
            )
        schema.create(conn)
        _own.create_all(conn)
        conn.execute(schema_table.insert().values(version=SCHEMA_VERSION))
        log.info("created PostgreSQL database %s at schema %d", shown, SCHEMA_VERSION)
        return
    version = int(conn.execute(select(schema_table.c.version)).scalar_one())
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{shown}: was made by a newer Plugin Monitor (schema {version}; this version "
            f"reads up to {SCHEMA_VERSION}); upgrade Plugin Monitor"
        )
    if version < SCHEMA_VERSION:
        schema.upgrade(conn, version)
        conn.execute(schema_table.update().values(version=SCHEMA_VERSION))
        log.info(
            "upgraded PostgreSQL database %s from schema %d to %d", shown, version, SCHEMA_VERSION
        )


def hold_monitor_lock(engine: Engine) -> Callable[[], None]:
    """One running monitor a database: two would both evaluate every sample
    and tell each alert twice. A session advisory lock on a connection of its
    own, which ends with the session (a crash never leaves it behind); the
    function that releases it."""
    conn = engine.connect()
    held = conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({MONITOR_LOCK_KEY})").scalar()
    conn.commit()
    if not held:
        holder = conn.exec_driver_sql(
            "SELECT min('a connection from ' || coalesce(host(client_addr), 'a local socket') "
            "|| ' since ' || to_char(backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') "
            "|| ' UTC') FROM pg_stat_activity JOIN pg_locks USING (pid) "
            f"WHERE locktype = 'advisory' AND granted AND objid = {MONITOR_LOCK_KEY}"
        ).scalar()
        conn.close()
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseError(
            f"{where}: another Plugin Monitor already keeps its history in this database "
            f"(held by {holder or 'another session'}); stop it, or give this one a database "
            "of its own"
        )

    def release() -> None:
        with contextlib.suppress(exc.DBAPIError):  # a lost session has released it already
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({MONITOR_LOCK_KEY})")
            conn.commit()
        conn.close()

    return release


def server_words(error: exc.DBAPIError) -> str:
    """What the server (or libpq) said, on one line."""
    return " ".join(str(error.orig if error.orig is not None else error).split())


def database_bytes(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one())


def backup_advice(url: str) -> str:
    """Why this monitor makes no backups and restores none, and what does."""
    shown = shown_url(url)
    return (
        f"the history is in PostgreSQL ({shown}), which Plugin Monitor does not back up or "
        f"restore itself: use PostgreSQL's own tools, e.g. pg_dump --format=custom "
        f"--file=plugin-monitor.dump '{shown}' and pg_restore (the settings and keys folder "
        "is backed up with the data folder)"
    )
