"""PostgreSQL as the store, on a real server: the schema and its guards, the
writer's upsert and its faults, a monitor and `serve --database-url`, and
what is left to PostgreSQL's own tools. (With --postgres the storage, API,
analytics and alert tests run on it as well.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg import errors
from sqlalchemy import Engine, exc, text

from desktop_app.config.spec import SPEC_BY_KEY
from desktop_app.errors import DatabaseError, OperatorError, SettingsError
from desktop_app.models.samples import Sample, SampleBlock
from desktop_app.paths import ENV_DATABASE_URL
from desktop_app.services.runtime import PluginMonitor
from desktop_app.services.storage import postgres
from desktop_app.services.storage import writer as writer_module
from desktop_app.services.storage.database import is_damage, open_database
from desktop_app.services.storage.schema import SCHEMA_VERSION
from desktop_app.services.storage.write_faults import (
    is_database_wide,
    is_full,
    operator_error,
    plainly_damaged,
    shrink_wal,
)
from desktop_app.services.storage.writer import DatabaseWriter
from desktop_app.services.workers import deadline_in
from tests.helpers import NO_API, push, stored_rows
from tests.postgres import PostgresServer, start_or_skip
from tests.services.api.conftest import make_keys, open_api_monitor

PLUGINS = {"app": 1}


@pytest.fixture
def url(postgres_server: PostgresServer) -> Iterator[str]:
    with postgres_server.fresh_database() as fresh:
        yield fresh


def with_app_plugin(engine: Engine) -> Engine:
    """The plugin the writer tests store for (PLUGINS), as the registry would."""
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO plugins (id, key, name, source, enabled, created_at) "
            "VALUES (1, 'app', 'app', 'api', true, 0)"
        )
    return engine


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    engine = open_database(url)
    with_app_plugin(engine)
    yield engine
    engine.dispose()


def scalar(url: str, query: str) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute(query).fetchone()
    return None if row is None else row[0]


def test_a_fresh_database_gets_the_schema_once_and_a_readable_view(url: str) -> None:
    open_database(url).dispose()
    open_database(url).dispose()  # a second open upgrades nothing and adds nothing
    assert scalar(url, "SELECT version FROM plugin_monitor_schema") == SCHEMA_VERSION
    assert scalar(url, "SELECT count(*) FROM plugin_monitor_schema") == 1
    assert scalar(url, "SELECT count(*) FROM samples_readable") == 0


def test_a_newer_schema_is_refused_and_left_as_it_was(url: str) -> None:
    open_database(url).dispose()
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE plugin_monitor_schema SET version = 99")
    with pytest.raises(DatabaseError, match=r"newer Plugin Monitor \(schema 99"):
        open_database(url)
    assert scalar(url, "SELECT version FROM plugin_monitor_schema") == 99


def test_another_programs_tables_of_the_same_names_are_refused_untouched(url: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE plugins (theirs integer)")
        conn.execute("INSERT INTO plugins VALUES (7)")
    with pytest.raises(DatabaseError, match=r"tables named like Plugin Monitor's \(plugins\)"):
        open_database(url)
    assert scalar(url, "SELECT theirs FROM plugins") == 7


def test_a_server_that_does_not_answer_is_named_without_a_password() -> None:
    with pytest.raises(DatabaseError) as refused:
        open_database("postgresql://pm:secret@127.0.0.1:1/pm")
    assert "cannot open the PostgreSQL database" in str(refused.value)
    assert "secret" not in str(refused.value) and "***" in str(refused.value)


def test_another_driver_is_refused_with_the_form_to_write() -> None:
    with pytest.raises(DatabaseError, match=r"write it as postgresql://"):
        open_database("postgresql+asyncpg://pm@127.0.0.1/pm")


def test_the_setting_refuses_a_password_and_other_engines() -> None:
    spec = SPEC_BY_KEY["storage.database_url"]
    assert spec.validate("postgresql://pm@db.internal:5432/pm", "test")
    for wrong in ("postgresql://pm:secret@db/pm", "mysql://pm@db/pm", "postgresql:///pm"):
        with pytest.raises(SettingsError, match="PGPASSWORD"):
            spec.validate(wrong, "test")


def test_the_upsert_merges_a_retried_and_a_partial_push(engine: Engine, url: str) -> None:
    writer = DatabaseWriter(engine, PLUGINS.get)
    writer.start()
    try:
        writer.submit([Sample("app", 5.0, cpu_percent=10.0, extras={"queue": 3.0})]).result(10)
        writer.submit([Sample("app", 5.0, cpu_percent=10.0, extras={"queue": 3.0})]).result(10)
        writer.submit([Sample("app", 5.0, memory_percent=40.0, failed=True)]).result(10)
        writer.submit([Sample("app", 6.0, cpu_percent=1.0)]).result(10)
    finally:
        writer.stop(deadline_in(10))
    # Acknowledged means visible to another connection, each (plugin, time) once.
    assert scalar(url, "SELECT count(*) FROM samples") == 2
    assert scalar(url, "SELECT count(*) FROM sample_extras") == 1
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT cpu_percent, memory_percent, failed FROM samples WHERE ts = 5000000"
        ).fetchone()
    assert row == (10.0, 40.0, True)
    assert scalar(url, "SELECT last_seen FROM plugins WHERE id = 1") == 6_000_000


def test_a_lock_held_for_a_moment_is_waited_out(engine: Engine, url: str) -> None:
    writer = DatabaseWriter(engine, PLUGINS.get)
    writer.start()
    try:
        with psycopg.connect(url) as holder:
            holder.execute("LOCK TABLE samples IN ACCESS EXCLUSIVE MODE")
            pending = writer.submit([Sample("app", 1.0, cpu_percent=5.0)])
            time.sleep(1.0)
            assert not pending.done()
        assert pending.result(10) == 1  # the lock ended with the holder's transaction
    finally:
        writer.stop(deadline_in(10))


@pytest.mark.expect_log_warnings
def test_a_lock_held_too_long_is_a_clear_refusal_and_keeps_data(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_MS", 200)
    monkeypatch.setattr(writer_module, "LOCK_RETRY_SECONDS", 0.5)
    engine = open_database(url)
    with_app_plugin(engine)
    writer = DatabaseWriter(engine, PLUGINS.get)
    writer.start()
    try:
        writer.submit([Sample("app", 1.0)]).result(10)
        with psycopg.connect(url) as holder:
            holder.execute("LOCK TABLE samples IN ACCESS EXCLUSIVE MODE")
            with pytest.raises(DatabaseError, match="locked by another program"):
                writer.submit([Sample("app", 2.0)]).result(30)
        assert writer.submit([Sample("app", 3.0)]).result(10) == 1
    finally:
        writer.stop(deadline_in(10))
        engine.dispose()
    assert scalar(url, "SELECT count(*) FROM samples") == 2


@pytest.mark.expect_log_warnings
def test_a_server_gone_and_back_loses_nothing_and_health_says_so(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its own server, stopped under a running monitor, then started again."""
    server = start_or_skip()
    try:
        with server.fresh_database() as url:
            monkeypatch.setenv(ENV_DATABASE_URL, url)
            monitor = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
            monitor.start(monitoring=False)
            try:
                push(monitor, cpu_percent=1.0)
                server.pause()
                with pytest.raises(DatabaseError, match="database server cannot be reached"):
                    monitor.ingest([Sample("app", 2.0, cpu_percent=2.0)]).result(30)
                gone = monitor.health()
                assert gone.database_bytes is None and not gone.ok
                assert any(
                    "database: the database server does not answer" in p for p in gone.problems
                )
                server.resume()
                assert monitor.ingest([Sample("app", 3.0, cpu_percent=3.0)]).result(30) == 1
                back = monitor.health()
                assert back.database_bytes is not None
                assert not any(p.startswith("database:") for p in back.problems)
            finally:
                monitor.stop()
            assert scalar(url, "SELECT count(*) FROM samples WHERE ts IN (2000000, 3000000)") == 1
    finally:
        server.stop()


@pytest.fixture
def monitor_on_postgres(
    url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[PluginMonitor]:
    monkeypatch.setenv(ENV_DATABASE_URL, url)
    monitor = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    monitor.start(monitoring=False)
    yield monitor
    monitor.stop()


def test_a_monitor_on_postgres_stores_evaluates_and_says_where(
    monitor_on_postgres: PluginMonitor, data_dir: Path
) -> None:
    monitor = monitor_on_postgres
    push(monitor, cpu_percent=97.0)
    assert [a.rule for a in monitor.engine.open_alerts() if a.plugin_key == "app"] == ["cpu"]
    assert stored_rows(monitor, "SELECT count(*) FROM alerts WHERE rule = 'cpu'") == [(1,)]
    health = monitor.health()
    assert health.database_path.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    assert health.database_bytes is not None and health.database_bytes > 0
    assert not (data_dir / "plugin_monitoring.db").exists()
    names = {worker.name for worker in monitor.workers}
    assert "database-watch" not in names  # a file to watch is SQLite's


def test_backups_and_restores_are_left_to_postgres_tools(
    monitor_on_postgres: PluginMonitor,
) -> None:
    monitor = monitor_on_postgres
    with pytest.raises(OperatorError, match=r"pg_dump --format=custom"):
        monitor.backups.back_up_now(actor="test").result(10)
    with pytest.raises(OperatorError, match=r"PostgreSQL's own tools"):
        monitor.restores.restore_named("plugin-monitor-backup-x.tar.gz", "test")
    assert not monitor.backups.overdue(time.time() + 10 * 86400, None)


def run_cli(*command: str, data_dir: Path, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *command, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, ENV_DATABASE_URL: url},
    )


def test_the_backup_command_says_what_to_use_instead(url: str, data_dir: Path) -> None:
    done = run_cli("backup", data_dir=data_dir, url=url)
    assert done.returncode == 2, done.stderr
    assert "the history is in PostgreSQL" in done.stderr and "Traceback" not in done.stderr


def test_serve_with_database_url_stores_a_pushed_sample_in_postgres(
    url: str, data_dir: Path
) -> None:
    """The README's command: serve --database-url, a push over HTTP, the row in PostgreSQL."""
    script = Path(sys.executable).with_name("plugin-monitor")
    server = subprocess.Popen(
        [
            str(script),
            "serve",
            "--database-url",
            url,
            "--data-dir",
            str(data_dir),
            "--port",
            "0",
            "--ws-port",
            "0",
            "--interval",
            "1",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        base = None
        while base is None:
            line = server.stderr.readline()
            assert line, "serve ended before it ran"
            if found := re.search(r"API (http://127\.0\.0\.1:\d+)", line):
                base = found.group(1)
        health = httpx.get(f"{base}/api/system/health", timeout=10).json()
        assert health["status"] == "ok" and health["database"]["size_bytes"] > 0
        deadline = time.monotonic() + 10
        while not scalar(url, "SELECT count(*) FROM samples"):  # the host, collected each second
            assert time.monotonic() < deadline, "no sample reached PostgreSQL within 10 s"
            time.sleep(0.2)
    finally:
        server.terminate()
        assert server.wait(30) == 0


def test_the_daily_check_says_backups_are_not_checked_here(
    monitor_on_postgres: PluginMonitor,
) -> None:
    (backups,) = [item for item in monitor_on_postgres.check().items if item.name == "backups"]
    assert backups.ok and backups.text.startswith("not checked here: the history is in PostgreSQL")


@pytest.mark.parametrize(
    ("server_error", "wide", "said"),
    [
        (errors.DiskFull("could not extend file"), True, "the disk holding the database is full"),
        (
            errors.AdminShutdown("terminating connection due to administrator command"),
            True,
            "the database server cannot be reached (terminating connection",
        ),
        (
            errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction"),
            True,
            "the database refused the write: cannot execute INSERT in a read-only",
        ),
        (
            errors.LockNotAvailable("canceling statement due to lock timeout"),
            True,
            "the database is locked by another program",
        ),
        (
            errors.DataCorrupted("invalid page in block 7"),
            False,
            "damaged (invalid page in block 7)",
        ),
        (errors.NumericValueOutOfRange("value out of range"), False, "refused the write: value"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else "",
)
def test_what_a_failed_write_means_on_postgresql(
    server_error: psycopg.Error, wide: bool, said: str
) -> None:
    """PostgreSQL's SQLSTATE, not its wording, decides (the server's language may differ)."""
    error = exc.OperationalError("INSERT INTO samples …", {}, server_error)
    assert is_database_wide(error) is wide
    dropped = exc.OperationalError("INSERT …", {}, server_error, connection_invalidated=True)
    assert is_database_wide(dropped), "a dropped connection is the server's, whatever its code"
    assert is_full(error) is isinstance(server_error, errors.DiskFull)
    assert is_damage(error) is isinstance(server_error, errors.DataCorrupted)
    assert said in str(operator_error(error, plainly_damaged))


def test_after_a_full_disk_the_wal_is_the_servers_to_keep(engine: Engine) -> None:
    with engine.connect() as conn:
        assert shrink_wal(conn)


def test_the_api_refuses_a_restore_with_409_naming_the_tools(
    url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DATABASE_URL, url)
    monitor = open_api_monitor(data_dir)
    admin = make_keys(monitor).header("admin")
    monitor.start(monitoring=False)
    try:
        assert monitor.api is not None
        answer = httpx.post(
            f"http://127.0.0.1:{monitor.api.ports['API']}/api/system/restore",
            json={"backup": "plugin-monitor-20261127T090000Z.tar.gz"},
            headers=admin,
            timeout=10,
        )
        assert answer.status_code == 409
        assert "pg_restore" in answer.json()["detail"]
    finally:
        monitor.stop()


def test_restore_and_serve_restore_latest_leave_the_folder_alone(url: str, data_dir: Path) -> None:
    restore = run_cli(
        "restore", "plugin-monitor-20261127T090000Z.tar.gz", data_dir=data_dir, url=url
    )
    assert restore.returncode == 2 and "pg_restore" in restore.stderr, restore.stderr
    gone = url + "_gone"  # no such database
    serve = run_cli("serve", "--no-api", "--restore-latest", data_dir=data_dir, url=gone)
    assert serve.returncode == 2, serve.stderr
    assert "cannot open the PostgreSQL database" in serve.stderr
    for done in (restore, serve):
        assert "Traceback" not in done.stderr
    assert not (data_dir / "plugin_monitoring.db").exists()


@pytest.fixture(params=["sqlite", "postgresql"])
def either(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The same writer test on both engines."""
    if request.param == "sqlite":
        engine = open_database(tmp_path / "m.db")
    else:
        engine = open_database(request.getfixturevalue("url"))
    with_app_plugin(engine)
    yield engine
    engine.dispose()


def test_one_batch_holding_a_moment_twice_merges_it_as_two_pushes_would(either: Engine) -> None:
    """On PostgreSQL one statement merges the whole group, so the group's own
    repeats are merged before it, in order: a later non-null value wins, a
    true flag stays true, a custom metric's later value wins."""
    writer = DatabaseWriter(either, PLUGINS.get)
    writer.start()
    try:
        stored = writer.submit(
            [
                Sample("app", 5.0, cpu_percent=10.0, extras={"queue": 1.0}, failed=True),
                Sample("app", 5.0, cpu_percent=20.0, memory_percent=40.0, extras={"queue": 2.0}),
                Sample("app", 5.0, response_time=0.5, response_times=[0.1, 0.2]),
                Sample("app", 5.0, response_times=[0.3]),
            ]
        ).result(10)
    finally:
        writer.stop(deadline_in(10))
    assert stored == 4
    with either.connect() as conn:
        row = conn.execute(
            text("SELECT cpu_percent, memory_percent, response_time, failed FROM samples")
        ).one()
        extras = conn.execute(text("SELECT name, value FROM sample_extras")).all()
        timings = conn.execute(text("SELECT idx, seconds FROM response_times ORDER BY idx")).all()
    assert tuple(row) == (20.0, 40.0, 0.5, True)
    assert [tuple(e) for e in extras] == [("queue", 2.0)]
    assert [tuple(t) for t in timings] == [(0, 0.3), (1, 0.2)]


def test_a_block_stores_exactly_what_its_samples_would(either: Engine) -> None:
    """A columnar block (multi-row statements on SQLite, COPY on PostgreSQL)
    against the same samples one by one: the same rows, repeats merged, across
    the statements' 500-row boundaries."""
    with either.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO plugins (id, key, name, source, enabled, created_at) "
            "VALUES (2, 'web', 'web', 'api', true, 0)"
        )
    times = [float(i // 3 if 480 < i < 520 else i) for i in range(1200)]  # repeats
    cpu = [None if i % 7 == 0 else float(i % 100) for i in range(1200)]
    failed = [i % 11 == 0 for i in range(1200)]
    depth = [None if i % 5 else float(i) for i in range(1200)]
    block = SampleBlock("app", times, {"cpu_percent": cpu}, failed=failed, extras={"depth": depth})
    writer = DatabaseWriter(either, {"app": 1, "web": 2}.get)
    writer.start()
    try:
        assert writer.submit(block).result(10) == 1200
        loose = [
            Sample(
                "web",
                sample.ts,
                cpu_percent=sample.cpu_percent,
                failed=sample.failed,
                extras=sample.extras,
            )
            for sample in block
        ]
        writer.submit(loose).result(10)
    finally:
        writer.stop(deadline_in(10))
    with either.connect() as conn:

        def rows(plugin: int) -> list[tuple[object, ...]]:
            return [
                tuple(row)
                for row in conn.execute(
                    text(
                        "SELECT s.ts, s.cpu_percent, s.failed, e.value FROM samples s "
                        "LEFT JOIN sample_extras e ON e.plugin_id = s.plugin_id AND e.ts = s.ts "
                        "WHERE s.plugin_id = :plugin ORDER BY s.ts"
                    ),
                    {"plugin": plugin},
                )
            ]

        from_block, one_by_one = rows(1), rows(2)
    assert len(from_block) == len(set(times))
    assert from_block == one_by_one


def test_a_second_monitor_on_the_same_database_is_refused_until_the_first_stops(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two would evaluate every sample and tell each alert twice."""
    monkeypatch.setenv(ENV_DATABASE_URL, url)
    first = PluginMonitor.open(tmp_path / "first", collectors=[], api=NO_API)
    try:
        with pytest.raises(DatabaseError) as refused:
            PluginMonitor.open(tmp_path / "second", collectors=[], api=NO_API)
        assert "another Plugin Monitor already keeps its history in this database" in str(
            refused.value
        )
        assert "(held by a connection from 127.0.0.1 since " in str(refused.value), "it names it"
    finally:
        first.stop()
    second = PluginMonitor.open(tmp_path / "second", collectors=[], api=NO_API)
    second.stop()
