"""The single writer: acknowledged means committed, groups, isolation, crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine

from desktop_app.errors import DatabaseError, UnknownPluginError
from desktop_app.models.samples import Sample
from desktop_app.services.storage.database import integrity_check, open_database
from desktop_app.services.storage.writer import (
    DatabaseWriter,
    WriterStoppedError,
)
from desktop_app.services.workers import deadline_in
from tests.helpers import samples_leaf_pages, small_disk, wait_until

# Reads and locks the SQLite file beside the writer; test_postgres.py covers the writer there.
pytestmark = pytest.mark.sqlite_only

PLUGINS = {"app": 1, "other": 2}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_database(tmp_path / "m.db")
    with engine.begin() as conn:
        for key, pid in PLUGINS.items():
            conn.exec_driver_sql(
                "INSERT INTO plugins (id, key, name, source, enabled, created_at) "
                f"VALUES ({pid}, '{key}', '{key}', 'api', 1, 0)"
            )
    yield engine
    engine.dispose()


@pytest.fixture
def writer(engine: Engine) -> Iterator[DatabaseWriter]:
    writer = DatabaseWriter(engine, PLUGINS.get, batch_limit=500)
    writer.start()
    yield writer
    writer.stop(deadline_in(10))


def count(db: Path, table: str = "samples") -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_an_acknowledged_sample_is_visible_to_another_connection(
    writer: DatabaseWriter, tmp_path: Path
) -> None:
    sample = Sample("app", 100.0, cpu_percent=12.5, extras={"load1": 0.5})
    assert writer.submit([sample]).result(10) == 1
    with sqlite3.connect(tmp_path / "m.db") as conn:
        assert conn.execute("SELECT ts, cpu_percent FROM samples").fetchall() == [
            (100_000_000, 12.5)
        ]
        assert conn.execute("SELECT name, value FROM sample_extras").fetchall() == [("load1", 0.5)]
        assert conn.execute("SELECT last_seen FROM plugins WHERE id = 1").fetchone() == (
            100_000_000,
        )


def test_concurrent_callers_share_group_commits(writer: DatabaseWriter, tmp_path: Path) -> None:
    per_thread, threads = 200, 8

    def client(n: int) -> None:
        for i in range(per_thread):
            writer.submit([Sample("app", n * 10_000 + i, cpu_percent=1.0)]).result(10)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert count(tmp_path / "m.db") == per_thread * threads
    assert writer.stats.committed_samples == per_thread * threads
    assert writer.stats.committed_groups < per_thread * threads, "no grouping happened"


def test_a_batch_with_an_unknown_plugin_is_refused_whole(
    writer: DatabaseWriter, tmp_path: Path
) -> None:
    with pytest.raises(UnknownPluginError, match="unknown plugin 'ghost'"):
        writer.submit([Sample("app", 1.0), Sample("ghost", 2.0)])
    writer.run_job(lambda _conn: None).result(10)
    assert count(tmp_path / "m.db") == 0


@pytest.mark.expect_log_warnings
def test_a_failing_job_fails_alone(writer: DatabaseWriter, tmp_path: Path) -> None:
    gate = threading.Event()
    blocker = writer.run_job(lambda _conn: gate.wait(10))

    def broken(conn: Connection) -> None:
        conn.exec_driver_sql("INSERT INTO no_such_table VALUES (1)")

    good = [writer.submit([Sample("app", float(i))]) for i in range(5)]
    bad = writer.run_job(broken)
    later = writer.submit([Sample("other", 1.0)])
    gate.set()
    assert blocker.result(10) is True
    assert [f.result(10) for f in good] == [1] * 5
    assert later.result(10) == 1
    with pytest.raises(Exception, match="no_such_table"):
        bad.result(10)
    assert count(tmp_path / "m.db") == 6


def test_a_retried_push_with_the_same_time_is_stored_once(
    writer: DatabaseWriter, tmp_path: Path
) -> None:
    writer.submit([Sample("app", 5.0, cpu_percent=1.0)]).result(10)
    writer.submit([Sample("app", 5.0, cpu_percent=2.0)]).result(10)
    with sqlite3.connect(tmp_path / "m.db") as conn:
        assert conn.execute("SELECT cpu_percent FROM samples").fetchall() == [(2.0,)]


def test_stop_commits_everything_accepted_then_refuses_more(engine: Engine, tmp_path: Path) -> None:
    writer = DatabaseWriter(engine, PLUGINS.get)
    writer.start()
    futures = [writer.submit([Sample("app", float(i))]) for i in range(2000)]
    assert writer.stop(deadline_in(10))
    assert all(f.done() and f.result() == 1 for f in futures)
    assert count(tmp_path / "m.db") == 2000
    with pytest.raises(WriterStoppedError):
        writer.submit([Sample("app", 99999.0)])


@pytest.mark.expect_log_warnings
def test_a_locked_database_fails_with_a_clear_message_and_keeps_data(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.services.storage import writer as writer_module

    monkeypatch.setattr(writer_module, "LOCK_RETRY_SECONDS", 0.5)
    writer = DatabaseWriter(engine, PLUGINS.get)
    writer.start()
    writer.submit([Sample("app", 1.0)]).result(10)
    holder = sqlite3.connect(tmp_path / "m.db", timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseError, match="locked by another program"):
            writer.submit([Sample("app", 2.0)]).result(30)
    finally:
        holder.rollback()
        holder.close()
    assert writer.submit([Sample("app", 3.0)]).result(10) == 1
    writer.stop(deadline_in(10))
    assert count(tmp_path / "m.db") == 2


CHILD = textwrap.dedent(
    """
    import sys
    from desktop_app.models.samples import Sample
    from desktop_app.services.storage.database import open_database
    from desktop_app.services.storage.writer import DatabaseWriter

    engine = open_database(__import__("pathlib").Path(sys.argv[1]))
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO plugins (id, key, name, source, enabled, created_at) "
            "VALUES (1, 'app', 'app', 'api', 1, 0)"
        )
    writer = DatabaseWriter(engine, {"app": 1}.get)
    writer.start()
    acknowledged = 0
    while True:
        batch = [Sample("app", acknowledged + i, cpu_percent=1.0) for i in range(10)]
        writer.submit(batch).result()
        acknowledged += len(batch)
        print(acknowledged, flush=True)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_acknowledged_samples_survive_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    acknowledged = 0
    for line in child.stdout:
        acknowledged = int(line)
        if acknowledged >= 3000:
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    assert acknowledged >= 3000
    engine = open_database(db)
    try:
        assert integrity_check(engine) == "ok"
        assert count(db) >= acknowledged
    finally:
        engine.dispose()


def test_stop_twice_and_stop_before_start_are_harmless(engine: Engine) -> None:
    never_started = DatabaseWriter(engine, PLUGINS.get)
    assert never_started.stop(deadline_in(1))
    writer = DatabaseWriter(engine, PLUGINS.get)
    writer.start()
    assert writer.stop(deadline_in(10))
    assert writer.stop(deadline_in(10))
    assert not writer.health().running


def test_notify_reports_the_commit_on_the_writer_thread(writer: DatabaseWriter) -> None:
    told: list[tuple[object, BaseException | None, str]] = []
    done = threading.Event()

    def notify(result: object, error: BaseException | None) -> None:
        told.append((result, error, threading.current_thread().name))
        done.set()

    writer.submit_and_notify([Sample("app", 1.0), Sample("other", 1.0)], notify)
    assert done.wait(10)
    assert told == [(2, None, "storage-writer")]


def test_last_seen_only_moves_forward(writer: DatabaseWriter, tmp_path: Path) -> None:
    writer.submit([Sample("app", 50.0), Sample("app", 20.0)]).result(10)
    writer.submit([Sample("app", 10.0)]).result(10)
    with sqlite3.connect(tmp_path / "m.db") as conn:
        (seen,) = conn.execute("SELECT last_seen FROM plugins WHERE key = 'app'").fetchone()
    assert seen == 50_000_000


@pytest.mark.expect_log_warnings
def test_a_briefly_locked_database_is_retried_and_the_sample_stored(
    writer: DatabaseWriter, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The writer's own wait inside SQLite off, so its retry loop does the waiting.
    writer.run_job(lambda conn: conn.exec_driver_sql("PRAGMA busy_timeout = 0")).result(10)
    holder = sqlite3.connect(tmp_path / "m.db", timeout=0, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.4, holder.rollback)
    release.start()
    try:
        assert writer.submit([Sample("app", 7.0)]).result(30) == 1
    finally:
        release.join()
        holder.close()
    assert count(tmp_path / "m.db") == 1
    assert any("retrying in" in r.getMessage() for r in caplog.records)


@pytest.mark.expect_log_warnings
def test_a_failing_subscriber_never_stops_the_writer(engine: Engine, tmp_path: Path) -> None:
    calls: list[int] = []

    def subscriber(samples: object) -> None:
        calls.append(1)
        raise RuntimeError("a view broke")

    writer = DatabaseWriter(engine, PLUGINS.get, on_committed=subscriber)
    writer.start()
    try:
        assert writer.submit([Sample("app", 1.0)]).result(10) == 1
        assert writer.submit([Sample("app", 2.0)]).result(10) == 1
    finally:
        writer.stop(deadline_in(10))
    assert len(calls) == 2 and count(tmp_path / "m.db") == 2


def _limit_pages(writer: DatabaseWriter, pages: int | None) -> None:
    """SQLite's own size cap on the writer's connection: past it, every write
    fails with SQLITE_FULL, as on a full disk."""

    def job(conn: Connection) -> None:
        now = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
        conn.exec_driver_sql(f"PRAGMA max_page_count = {pages or now}")

    writer.run_job(job).result(10)


@pytest.mark.expect_log_warnings
def test_a_full_disk_is_named_and_the_stored_samples_are_kept(
    writer: DatabaseWriter, tmp_path: Path
) -> None:
    writer.submit([Sample("app", 1.0)]).result(10)
    _limit_pages(writer, None)
    many = [Sample("app", 10.0 + i, cpu_percent=float(i)) for i in range(5000)]
    with pytest.raises(DatabaseError, match="the disk holding the database is full"):
        writer.submit(many).result(10)
    assert writer.health().error == (
        "the disk holding the database is full; nothing new was stored"
    )
    _limit_pages(writer, 1_000_000)
    writer.submit([Sample("app", 3.0)]).result(10)
    assert writer.health().error is None, "a commit after the fault clears it"
    assert count(tmp_path / "m.db") == 2


def test_a_pause_commits_what_came_before_and_holds_what_comes_after(
    writer: DatabaseWriter, tmp_path: Path
) -> None:
    """A restore pauses the writer: what was queued before it is committed
    first, what comes during it waits, and a failed pause fails alone."""
    gate = threading.Event()
    blocker = writer.run_job(lambda _conn: gate.wait(10))
    before = writer.submit([Sample("app", 1.0)])
    seen: list[int] = []
    paused = writer.pause_for(lambda: seen.append(count(tmp_path / "m.db")) or "done")
    during = writer.submit([Sample("app", 2.0)])
    failing = writer.pause_for(lambda: 1 / 0)
    after = writer.submit([Sample("app", 3.0)])
    gate.set()
    assert blocker.result(10) is True
    assert paused.result(10) == "done"
    assert seen == [1], "the pause saw the sample queued before it, and not the one after"
    with pytest.raises(ZeroDivisionError):
        failing.result(10)
    assert [f.result(10) for f in (before, during, after)] == [1, 1, 1]
    assert count(tmp_path / "m.db") == 3


@pytest.mark.expect_log_warnings  # "write failed: …", as the operator's log says
def test_a_write_for_a_plugin_gone_from_the_database_is_a_clear_refusal(
    engine: Engine, tmp_path: Path
) -> None:
    """The database was replaced by one without the plugin (until the monitor
    notices): 503's message, not an internal error; other errors stay as they are."""
    writer = DatabaseWriter(engine, {"gone": 99}.get)
    writer.start()
    try:
        with pytest.raises(DatabaseError, match="no longer in the database"):
            writer.submit([Sample("gone", 1.0)]).result(10)

        def wrong(_conn: Connection) -> None:
            raise ValueError("a job's own mistake")

        with pytest.raises(ValueError, match="a job's own mistake"):
            writer.run_job(wrong).result(10)
    finally:
        writer.stop(deadline_in(10))
    assert count(tmp_path / "m.db") == 0


def test_a_call_withdrawn_before_the_writer_reaches_it_never_happens(
    writer: DatabaseWriter, tmp_path: Path
) -> None:
    """The caller was told "nothing was changed": the job must not run later."""
    gate, busy = threading.Event(), threading.Event()
    writer.run_job(lambda _conn: busy.set() or gate.wait(10))
    assert busy.wait(10)
    ran: list[int] = []
    with pytest.raises(DatabaseError, match=r"did not take the change within 0\.2 s"):
        writer.call(lambda _conn: ran.append(1), 0.2)
    gate.set()
    wait_until(lambda: writer.queue_depth == 0, what="the writer to pass the withdrawn job")
    writer.run_job(lambda _conn: None).result(10)
    assert ran == []
    assert writer.call(lambda conn: conn.exec_driver_sql("SELECT 7").scalar_one(), 5) == 7


@pytest.mark.expect_log_warnings  # "database is locked by another program; retrying"
def test_a_call_the_writer_has_begun_gives_its_outcome(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Begun on a locked database: the caller waits for the writer to give up
    (a clear refusal), and nothing is stored after it answered."""
    from desktop_app.services.storage import writer as writer_module

    monkeypatch.setattr(writer_module, "LOCK_RETRY_SECONDS", 1.0)
    writer = DatabaseWriter(engine, PLUGINS.get)
    writer.start()
    holder = sqlite3.connect(tmp_path / "m.db", timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:

        def insert(conn: Connection) -> None:
            conn.exec_driver_sql(
                "INSERT INTO plugins (key, name, source, enabled, created_at) "
                "VALUES ('late', 'late', 'api', 1, 0)"
            )

        with pytest.raises(DatabaseError, match="locked by another program"):
            writer.call(insert, 0.2)
    finally:
        holder.rollback()
        holder.close()
    writer.stop(deadline_in(10))
    with sqlite3.connect(tmp_path / "m.db") as conn:
        assert conn.execute("SELECT count(*) FROM plugins WHERE key = 'late'").fetchone() == (0,)


@pytest.mark.expect_log_warnings  # the damage is logged as an error
def test_a_write_into_a_damaged_page_is_said_as_damage(engine: Engine, tmp_path: Path) -> None:
    """SQLITE_CORRUPT on a write: the operator's message from `on_damage`
    (which also turns health to "database damaged"), not SQLite's words alone."""
    told: list[str] = []

    def damaged(detail: str) -> str:
        told.append(detail)
        return f"the database is damaged ({detail}); restore a backup"

    writer = DatabaseWriter(engine, PLUGINS.get, on_damage=damaged)
    writer.start()
    try:
        writer.submit([Sample("app", float(i), cpu_percent=1.0) for i in range(5000)]).result(30)
        writer.pause_for(lambda: _damage_every_leaf(tmp_path / "m.db")).result(30)
        with pytest.raises(DatabaseError, match="the database is damaged"):
            writer.submit([Sample("app", 2500.5, cpu_percent=1.0)]).result(30)
    finally:
        writer.stop(deadline_in(10))
    assert told and "malformed" in told[0]
    plain = DatabaseWriter(engine, PLUGINS.get)  # the command line's: no health to tell
    plain.start()
    try:
        with pytest.raises(DatabaseError, match=r"is damaged \(database disk image is malformed\)"):
            plain.submit([Sample("app", 2500.5, cpu_percent=1.0)]).result(30)
    finally:
        plain.stop(deadline_in(10))


def _damage_every_leaf(database: Path) -> None:
    pages, size = samples_leaf_pages(database)
    with database.open("r+b") as file:
        for page in pages:  # wherever the next row goes, its page is damaged
            file.seek((page - 1) * size)
            file.write(b"\xff" * size)


@pytest.mark.expect_log_warnings  # "write failed: the disk … is full", as it should
def test_a_full_disk_is_checkpointed_once_space_returns(tmp_path: Path) -> None:
    """A real 1 MB disk filled by the WAL: the checkpoint right after the
    failure cannot grow the database either; the first commit once space
    returns checkpoints and truncates the WAL, so the disk cannot fill with
    WAL again."""
    with small_disk(tmp_path / "disk", 1024) as disk:
        room = disk / "room-to-free"
        room.write_bytes(b"\0" * 256 * 1024)
        engine = open_database(disk / "m.db")
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO plugins (id, key, name, source, enabled, created_at) "
                "VALUES (1, 'app', 'app', 'api', 1, 0)"
            )
        writer = DatabaseWriter(engine, PLUGINS.get)
        writer.start()
        try:
            stored = _fill(writer)
            writer.run_job(lambda _conn: None).result(30)  # after the writer's own tries
            assert (disk / "m.db-wal").stat().st_size > 256 * 1024, "the WAL filled the disk"
            room.unlink()
            writer.submit([Sample("app", 1e9, cpu_percent=1.0)]).result(30)
            writer.run_job(lambda _conn: None).result(30)
            wal, database = (disk / "m.db-wal").stat().st_size, (disk / "m.db").stat().st_size
            assert wal < 64 * 1024 < database, "checkpointed into the database, WAL truncated"
            assert writer.health().error is None
        finally:
            writer.stop(deadline_in(10))
            engine.dispose()
        assert count(disk / "m.db") == stored + 1


def _fill(writer: DatabaseWriter) -> int:
    """Samples until the disk is full; how many were stored."""
    stored = 0
    while True:
        batch = [Sample("app", stored + i, cpu_percent=float(i)) for i in range(50)]
        try:
            writer.submit(batch).result(30)
        except DatabaseError as error:
            assert str(error) == "the disk holding the database is full; nothing new was stored"
            return stored
        stored += len(batch)
