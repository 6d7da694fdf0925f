"""The schema and its steps, for SQLite and PostgreSQL alike.

A fresh database gets the current schema from the table declarations; an
older one is upgraded step by step inside the caller's transaction. Where
each engine keeps the version is the caller's business (SQLite's file
header, PostgreSQL's `plugin_monitor_schema` row).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, inspect

from desktop_app.models import tables

# "PMON": a SQLite file that carries it in its header is this program's; on
# PostgreSQL, the advisory lock key migrations take.
APPLICATION_ID = 0x504D4F4E
OWN_TABLES = frozenset({"plugins", "samples", "alerts"})
# The connection pool, for SQLite and PostgreSQL alike: connections kept open, and
# extra ones opened under a burst of reads (the API's, the console's, the workers').
POOL_KEPT, POOL_EXTRA = 8, 16

# A view any SQL shell reads at a glance: the plugin's id and the time in UTC.
_READABLE_TIME = {
    "sqlite": "strftime('%Y-%m-%dT%H:%M:%fZ', s.ts / 1000000.0, 'unixepoch')",
    "postgresql": (
        "to_char(to_timestamp(s.ts / 1000000.0) AT TIME ZONE 'UTC', "
        '\'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\')'
    ),
}


_CREATE_VIEW = {"sqlite": "CREATE VIEW IF NOT EXISTS", "postgresql": "CREATE OR REPLACE VIEW"}


def _create_readable_view(conn: Connection) -> None:
    dialect = conn.dialect.name
    conn.exec_driver_sql(
        f"{_CREATE_VIEW[dialect]} samples_readable AS "
        f"SELECT p.key AS plugin, {_READABLE_TIME[dialect]} AS time_utc, s.* "
        "FROM samples AS s JOIN plugins AS p ON p.id = s.plugin_id"
    )


def create(conn: Connection) -> None:
    """The current schema in an empty database."""
    tables.metadata.create_all(conn)
    _create_readable_view(conn)


def upgrade(conn: Connection, version: int) -> None:
    """Every step from `version` to SCHEMA_VERSION."""
    for step in range(version, SCHEMA_VERSION):
        MIGRATIONS[step](conn)


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
    columns = {found["name"] for found in inspect(conn).get_columns(table)}
    if column not in columns:
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


def _add_silences_and_flapping(conn: Connection) -> None:
    """Silences, whether each stored alert event was silenced, whether an
    alert is flapping, and command-line globs for watched processes."""
    tables.metadata.create_all(conn, tables=[tables.silences])
    _add_column(conn, "alert_events", "silenced", "BOOLEAN NOT NULL DEFAULT FALSE")
    _add_column(conn, "alerts", "flapping", "BOOLEAN NOT NULL DEFAULT FALSE")
    _add_column(conn, "plugins", "process_cmdline", "TEXT")


def _add_webhooks_and_historical_alerts(conn: Connection) -> None:
    """Webhooks (their secrets live in the secret store) and alerts recorded
    from back-filled history."""
    tables.metadata.create_all(conn, tables=[tables.webhooks])
    _add_column(conn, "alerts", "historical", "BOOLEAN NOT NULL DEFAULT FALSE")


def _add_key_last_use(conn: Connection) -> None:
    _add_column(conn, "api_keys", "last_used_at", "BIGINT")


def _add_key_scopes_and_owners(conn: Connection) -> None:
    """Keys' scopes, expiry and last address; the key that registered a plugin."""
    _add_column(conn, "api_keys", "last_used_from", "VARCHAR(64)")
    _add_column(conn, "api_keys", "ingest_only", "BOOLEAN NOT NULL DEFAULT FALSE")
    _add_column(conn, "api_keys", "plugins", "VARCHAR(200) NOT NULL DEFAULT ''")
    _add_column(conn, "api_keys", "expires_at", "BIGINT")
    _add_column(conn, "plugins", "registered_by", "INTEGER")


def _add_plugin_hosts(conn: Connection) -> None:
    _add_column(conn, "plugins", "host", "VARCHAR(100)")


# MIGRATIONS[n] turns schema version n into n + 1. Version 1 was the tables
# alone; version 2 adds a view that a SQL shell can read at a glance;
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
    9: _add_plugin_hosts,
}
SCHEMA_VERSION = 10
