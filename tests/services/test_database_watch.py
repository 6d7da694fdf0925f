"""The guide's `sqlite3 … ".backup …"` and `".restore …"`, run while plugins
push: the monitor notices, takes up the restored data and keeps answering."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop_app.paths import DATABASE_NAME
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import push, require_tools, wait_until
from tests.services.api.conftest import Keys, make_keys, open_api_monitor


@pytest.fixture
def served(data_dir: Path) -> Iterator[tuple[PluginMonitor, Keys]]:
    monitor = open_api_monitor(data_dir)
    keys = make_keys(monitor)
    monitor.start(monitoring=False)
    yield monitor, keys
    monitor.stop()


def shell(database: Path, command: str) -> None:
    """The guide's command; the shell gives up after a few busy retries, so
    a failed try is run again (the test's pusher goes on meanwhile)."""
    for _ in range(20):
        done = subprocess.run(
            ["sqlite3", str(database), command],
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
        )
        if done.returncode == 0 and not done.stderr:
            return
        time.sleep(0.1)
    raise AssertionError(f"sqlite3 {command!r} kept failing: {done.stderr}")


def app_samples(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        query = "SELECT count(*) FROM samples_readable WHERE plugin = 'app'"
        return int(conn.execute(query).fetchone()[0])


@pytest.mark.expect_log_warnings  # "replaced behind the monitor's back" is the point
def test_the_guides_sqlite3_restore_during_ingestion_is_taken_up(
    served: tuple[PluginMonitor, Keys], tmp_path: Path
) -> None:
    require_tools("sqlite3")
    monitor, keys = served
    database = monitor.paths.root / DATABASE_NAME
    for cpu in (10.0, 20.0):
        push(monitor, "app", cpu_percent=cpu)
    copy = tmp_path / "backup_20240115_020000.db"
    shell(database, f".backup {copy}")
    push(monitor, "late", cpu_percent=5.0)  # registered after the backup
    push(monitor, "app", cpu_percent=99.0)  # an alert the backup does not hold
    monitor.engine.flush().result(10)
    assert [a.rule for a in monitor.engine.open_alerts()] == ["cpu"]
    assert monitor.api is not None
    base = f"http://127.0.0.1:{monitor.api.ports['API']}"
    headers = {"Authorization": f"Bearer {keys.operator}"}
    answers: list[int] = []
    stop = threading.Event()

    def keep_pushing() -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            while not stop.is_set():
                for plugin in ("app", "late"):
                    body = {"plugin_id": plugin, "metrics": {"cpu_usage": 5.0}}
                    answers.append(
                        client.post(
                            "/api/advanced-monitoring/update-metrics", json=body
                        ).status_code
                    )
                time.sleep(0.02)

    pushing = threading.Thread(target=keep_pushing)
    pushing.start()
    try:
        wait_until(lambda: len(answers) > 10, what="pushes before the restore")
        shell(database, f".restore {copy}")
        restored_at = time.monotonic()
        wait_until(
            lambda: monitor.registry.get("late") is None, seconds=5, what="the restore taken up"
        )
        noticed = time.monotonic() - restored_at
        counted = len(answers)
        wait_until(lambda: len(answers) > counted + 10, what="pushes after the restore")
    finally:
        stop.set()
        pushing.join(30)

    assert noticed < 5
    assert 500 not in answers, "no internal error while the database was replaced"
    assert set(answers) <= {200, 404, 503}, set(answers)
    assert answers[-1] == 404, "a plugin registered after the backup is unknown again"
    assert monitor.engine.open_alerts() == [], "the open alerts are the restored file's"
    watch = monitor.health().worker("database-watch")
    assert watch is not None and watch.ok and watch.details["replaced_behind_its_back"] == 1
    with sqlite3.connect(database) as conn:
        (plugins,) = conn.execute("SELECT count(*) FROM plugins WHERE key = 'late'").fetchone()
        assert plugins == 0, "the data is the restored file's"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = app_samples(database)
    push(monitor, "app", cpu_percent=30.0)
    assert app_samples(database) == stored + 1, "the writer goes on in the restored file"
    assert monitor.health().ok


@pytest.mark.expect_log_warnings  # "another program changed the schema"
def test_another_programs_schema_change_is_not_taken_for_a_restore(
    served: tuple[PluginMonitor, Keys],
) -> None:
    monitor, _keys = served
    push(monitor, "app", cpu_percent=99.0)
    monitor.engine.flush().result(10)
    with sqlite3.connect(monitor.paths.database) as conn:
        conn.execute("CREATE INDEX an_operators_index ON samples (ts)")
    time.sleep(2.5)
    watch = monitor.health().worker("database-watch")
    assert watch is not None and watch.details["replaced_behind_its_back"] == 0
    assert [a.rule for a in monitor.engine.open_alerts()] == ["cpu"]


@pytest.mark.expect_log_warnings  # the deletion is said as an error, once
def test_a_deleted_database_is_said_in_health_and_never_recreated_empty(
    served: tuple[PluginMonitor, Keys],
) -> None:
    monitor, _keys = served
    push(monitor, "app", cpu_percent=10.0)
    monitor.paths.database.unlink()
    wait_until(
        lambda: not monitor.health().ok, seconds=5, what="health to say the database is gone"
    )
    watch = monitor.health().worker("database-watch")
    assert watch is not None and "was deleted while the monitor runs" in (watch.error or "")
    assert not monitor.paths.database.exists()
