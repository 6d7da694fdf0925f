"""The database failing under the API: damaged mid-file, or locked by another
program. Each gets a clear 503 (never a 500), health says what is wrong,
nothing is half-done, and a damaged export never looks complete."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop_app.errors import OperatorError
from desktop_app.models.samples import Sample
from desktop_app.services.export import ExportRequest, export_samples
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import push, samples_leaf_pages, wait_until
from tests.services.api.conftest import Keys, make_keys, open_api_monitor

# Damage to and replacement of the SQLite file.
pytestmark = pytest.mark.sqlite_only

DAY = 86_400.0


def stored_history(data_dir: Path, count: int = 30_000) -> None:
    """A day of the `app` plugin, every few seconds, stored and the monitor stopped."""
    monitor = open_api_monitor(data_dir, enabled=False)
    monitor.start(monitoring=False)
    try:
        push(monitor, "app", cpu_percent=1.0)
        start = time.time() - 0.9 * DAY
        step = 0.8 * DAY / count
        batch = [Sample("app", start + i * step, cpu_percent=float(i % 90)) for i in range(count)]
        for first in range(0, count, 5000):
            monitor.ingest(batch[first : first + 5000]).result(60)
    finally:
        monitor.stop()


def damage_a_samples_page(database: Path) -> None:
    """4 KB of 0xFF over a leaf page of the samples in the middle of the file."""
    pages, size = samples_leaf_pages(database)
    assert len(pages) > 20, "enough history to damage its middle"
    with database.open("r+b") as file:
        file.seek((pages[len(pages) // 2] - 1) * size)
        file.write(b"\xff" * size)


@pytest.fixture
def damaged(data_dir: Path) -> Iterator[tuple[PluginMonitor, Keys]]:
    stored_history(data_dir)
    damage_a_samples_page(data_dir / "plugin_monitoring.db")
    monitor = open_api_monitor(data_dir)
    keys = make_keys(monitor)
    monitor.start(monitoring=False)
    yield monitor, keys
    monitor.stop()


@pytest.mark.expect_log_warnings  # the damage is logged as an error, once
def test_a_database_damaged_mid_file_is_said_in_health_and_reads_get_503(
    damaged: tuple[PluginMonitor, Keys],
) -> None:
    monitor, keys = damaged
    backup_hint = "no backup to restore"
    assert monitor.api is not None
    base = f"http://127.0.0.1:{monitor.api.ports['API']}"
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {keys.admin}"}) as client:
        wait_until(
            lambda: client.get("/api/system/health").json()["status"] == "database damaged",
            seconds=15,
            what="the background check to find the damage",
        )
        health = client.get("/api/system/health").json()
        (problem,) = [p for p in health["problems"] if "damaged" in p]
        assert str(monitor.paths.database) in problem and backup_hint in problem
        read = client.get("/api/advanced-monitoring/metrics/app", params={"hours": 24})
        assert read.status_code == 503, read.text
        assert "is damaged" in read.json()["detail"]
        with client.stream(
            "GET", "/api/advanced-monitoring/export/app", params={"hours": 24, "format": "json"}
        ) as answer:
            assert answer.status_code == 200
            body = b""
            with pytest.raises(httpx.RemoteProtocolError):
                for chunk in answer.iter_bytes():
                    body += chunk
        assert body, "the export had begun"
        with pytest.raises(json.JSONDecodeError):
            json.loads(body)
        assert client.get("/api/status").status_code == 200, "the monitor still answers"


@pytest.mark.expect_log_warnings  # "database is locked by another program; retrying"
def test_register_plugin_on_a_locked_database_is_a_503_and_registers_nothing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.services.plugins import registry
    from desktop_app.services.storage import writer

    monkeypatch.setattr(writer, "LOCK_RETRY_SECONDS", 1.0)
    monkeypatch.setattr(registry, "WRITE_TIMEOUT", 0.5)
    monitor = open_api_monitor(data_dir)
    keys = make_keys(monitor)
    monitor.start(monitoring=False)
    try:
        assert monitor.api is not None
        base = f"http://127.0.0.1:{monitor.api.ports['API']}"
        holder = sqlite3.connect(monitor.paths.database, timeout=0)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with httpx.Client(base_url=base, timeout=60) as client:
                answer = client.post(
                    "/api/advanced-monitoring/register-plugin",
                    json={"plugin_id": "late"},
                    headers={"Authorization": f"Bearer {keys.operator}"},
                )
        finally:
            holder.rollback()
            holder.close()
        assert answer.status_code == 503, answer.text
        assert "nothing was changed" in answer.json()["detail"]
        assert "another program holds it locked" in answer.json()["detail"]
        monitor.writer.run_job(lambda _conn: None).result(10)
        assert monitor.registry.get("late") is None
        with sqlite3.connect(monitor.paths.database) as conn:
            rows = conn.execute("SELECT count(*) FROM plugins WHERE key = 'late'").fetchone()
        assert rows == (0,), "refused means not registered, not even later"
    finally:
        monitor.stop()


@pytest.mark.expect_log_warnings
def test_a_file_export_of_damaged_data_says_so_and_writes_no_file(
    damaged: tuple[PluginMonitor, Keys], tmp_path: Path
) -> None:
    """The console's export: a refusal it shows as worded, and no partial file."""
    monitor, _keys = damaged
    target = tmp_path / "app.csv"
    request = ExportRequest(
        plugin_keys=("app",), since=time.time() - DAY, until=time.time(), fmt="csv", path=target
    )
    app = monitor.registry.get("app")
    assert app is not None
    with pytest.raises(OperatorError, match=r"the export stopped after \d+ rows") as refused:
        export_samples(monitor.samples, {"app": app.id}, request)
    assert "no file was written" in str(refused.value)
    assert not target.exists() and not list(tmp_path.glob("*.tmp*"))
