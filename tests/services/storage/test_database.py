"""Opening the database: fresh, upgraded, refused — never overwritten."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from desktop_app.errors import DatabaseError, OperatorError
from desktop_app.models import tables
from desktop_app.services.runtime import PluginMonitor
from desktop_app.services.storage.database import (
    APPLICATION_ID,
    CACHE_KIB_PER_CONNECTION,
    POOL_EXTRA,
    POOL_KEPT,
    SCHEMA_VERSION,
    create_database_engine,
    integrity_check,
    open_database,
)

# About the SQLite file itself: its header, pragmas, migrations by user_version.
pytestmark = pytest.mark.sqlite_only


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def test_a_fresh_file_gets_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    engine = open_database(path)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        # The memory budget: each connection's page cache, and the pool's size.
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -CACHE_KIB_PER_CONNECTION
    assert (engine.pool.size(), engine.pool._max_overflow) == (POOL_KEPT, POOL_EXTRA)  # type: ignore[attr-defined]
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
        marks = conn.execute("SELECT key, evaluated_until FROM plugins").fetchall()
    assert rows == [("app", "1970-01-01T00:00:01.000Z", 42.0)]
    assert marks == [("app", 1000000)], "the history stored so far counts as evaluated"
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


def file_mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_and_its_wal_files_are_the_owners_alone(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    engine = open_database(path)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE scratch (x)")  # so the WAL and SHM files exist
        for suffix in ("", "-wal", "-shm"):
            assert file_mode(path.with_name(path.name + suffix)) == 0o600, suffix
    engine.dispose()


def test_a_database_readable_by_others_is_tightened_at_open(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    open_database(path).dispose()
    path.chmod(0o644)
    open_database(path).dispose()
    assert file_mode(path) == 0o600


def test_the_database_is_marked_as_this_programs_and_an_old_one_is_adopted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "m.db"
    open_database(path).dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        conn.execute("PRAGMA application_id = 0")  # as every database before this version
    open_database(path).dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_another_programs_database_is_refused_byte_for_byte_unchanged(
    tmp_path: Path,
) -> None:
    """Unmarked with foreign tables, or marked by another program: neither is
    switched to WAL, nor gets a file or folder beside it."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "plugin_monitoring.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('bibimbap')")
    for marked in (0, 0x12345678):
        with sqlite3.connect(path) as conn:
            conn.execute(f"PRAGMA application_id = {marked}")
        before = path.read_bytes()
        with pytest.raises(OperatorError, match="another program's tables"):
            PluginMonitor.open(folder, collectors=[], api={"enabled": False})
        assert path.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["plugin_monitoring.db"]
