"""Opening the database: fresh, upgraded, refused — never overwritten."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop_app.errors import DatabaseError
from desktop_app.models import tables
from desktop_app.services.storage.database import (
    SCHEMA_VERSION,
    create_database_engine,
    integrity_check,
    open_database,
)


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def test_a_fresh_file_gets_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    engine = open_database(path)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert integrity_check(engine) == "ok"
    engine.dispose()
    assert user_version(path) == SCHEMA_VERSION


def test_samples_are_clustered_on_plugin_and_time(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    open_database(path).dispose()
    with sqlite3.connect(path) as conn:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'samples'").fetchone()[0]
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM samples WHERE plugin_id = 1 AND ts BETWEEN 0 AND 9"
        ).fetchall()
    assert "WITHOUT ROWID" in sql and "PRIMARY KEY (plugin_id, ts)" in sql
    assert "SEARCH samples USING PRIMARY KEY (plugin_id=? AND ts>? AND ts<?)" in plan[0][3]


def test_an_older_database_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    engine = create_database_engine(path)
    version_1_tables = [
        t for t in tables.metadata.sorted_tables if t.name not in {"api_keys", "response_times"}
    ]
    with engine.begin() as conn:  # what version 1 created: the tables alone
        tables.metadata.create_all(conn, tables=version_1_tables)
        conn.exec_driver_sql("PRAGMA user_version = 1")
        conn.exec_driver_sql(
            "INSERT INTO plugins (id, key, name, source, enabled, created_at) "
            "VALUES (1, 'app', 'App', 'api', 1, 0)"
        )
        conn.exec_driver_sql(
            "INSERT INTO samples (plugin_id, ts, cpu_percent, failed) VALUES (1, 1000000, 42, 0)"
        )
    engine.dispose()
    open_database(path).dispose()
    assert user_version(path) == SCHEMA_VERSION
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT plugin, time_utc, cpu_percent FROM samples_readable").fetchall()
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert rows == [("app", "1970-01-01T00:00:01.000Z", 42.0)]
    assert {"api_keys", "response_times"} <= names


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    open_database(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(DatabaseError, match="made by a newer Plugin Monitor"):
        open_database(path)
    assert user_version(path) == SCHEMA_VERSION + 1


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="is not a SQLite database"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_damaged_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    open_database(path).dispose()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the schema page, keep the header
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="is damaged"):
        open_database(path)
    assert path.read_bytes() == bytes(data)


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(DatabaseError, match="another program's tables"):
        open_database(path)
