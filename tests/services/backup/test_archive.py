"""Backups of a running monitor: online, whole, private, and never counted
before they are finished."""

from __future__ import annotations

import json
import os
import sqlite3
import tarfile
import threading
import time
from pathlib import Path

from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.paths import DATABASE_NAME
from desktop_app.services.backup.archive import backup_in_progress, backups_in, take_backup
from desktop_app.services.runtime import PluginMonitor


def unpack(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into


def stored_times(database: Path) -> set[float]:
    with sqlite3.connect(database) as conn:
        return {row[0] / 1_000_000 for row in conn.execute("SELECT ts FROM samples")}


def test_a_backup_under_ingestion_holds_every_sample_acknowledged_before_it_began(
    monitor: PluginMonitor, tmp_path: Path
) -> None:
    monitor.registry.register("busy", "busy", PluginSource.API)
    acknowledged: list[float] = []
    stop = threading.Event()

    def ingest() -> None:
        ts = float(int(time.time()) - 86_400)  # whole seconds: compared exactly
        while not stop.is_set():
            batch = [Sample("busy", ts + n, cpu_percent=float(n % 100)) for n in range(200)]
            monitor.ingest(batch).result(10)
            acknowledged.extend(sample.ts for sample in batch)
            ts += 200

    pusher = threading.Thread(target=ingest)
    pusher.start()
    try:
        while len(acknowledged) < 20_000:
            time.sleep(0.01)
        before = set(acknowledged)
        backup = take_backup(monitor.paths, tmp_path / "backups")
        after = len(acknowledged)
    finally:
        stop.set()
        pusher.join(10)
    assert after > len(before), "ingestion went on while the backup was taken"
    folder = unpack(backup.path, tmp_path / "restored")
    assert before <= stored_times(folder / DATABASE_NAME)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["rows"]["samples"] >= len(before)
    with sqlite3.connect(folder / DATABASE_NAME) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == manifest["schema_version"]


def test_a_backup_is_one_private_archive_with_the_config_and_without_secrets(
    monitor: PluginMonitor, tmp_path: Path
) -> None:
    config = monitor.paths.config_dir
    (config / "tls.key").write_text("-----BEGIN PRIVATE KEY-----")
    (config / "secrets").mkdir()
    (config / "secrets" / "token").write_text("s3cret")
    backup = take_backup(monitor.paths, tmp_path / "backups", now=1_795_000_000.0)
    assert backup.name == "plugin-monitor-20261118T110640Z.tar.gz"
    assert backup.path.stat().st_mode & 0o777 == 0o600
    with tarfile.open(backup.path) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", DATABASE_NAME, "config/settings.toml"} <= names
    assert not {name for name in names if "tls.key" in name or "secrets" in name}
    manifest = json.loads(tar_member(backup.path, "manifest.json"))
    assert manifest["taken_at"] == "2026-11-18T11:06:40Z"
    assert len(manifest["database_sha256"]) == 64 and manifest["rows"]["plugins"] == 2
    again = take_backup(monitor.paths, tmp_path / "backups", now=1_795_000_000.0)
    assert again.name == "plugin-monitor-20261118T110640Z-2.tar.gz", "the same second"
    assert [b.name for b in backups_in(tmp_path / "backups")] == [backup.name, again.name]


def tar_member(archive: Path, name: str) -> str:
    with tarfile.open(archive) as tar:
        member = tar.extractfile(name)
        assert member is not None
        return member.read().decode()


def test_a_backup_cut_short_is_never_listed_and_the_next_one_clears_it(
    monitor: PluginMonitor, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    half = folder / ".partial-k1ll3d"
    half.mkdir(parents=True)
    (half / "archive").write_bytes(b"\x1f\x8b half an archive")
    (folder / "plugin-monitor-notatime.tar.gz").write_text("not a backup")
    assert backups_in(folder) == []
    take_backup(monitor.paths, folder)
    assert not half.exists()
    assert len(backups_in(folder)) == 1


def test_a_backup_being_made_by_a_live_process_is_left_alone(
    monitor: PluginMonitor, tmp_path: Path
) -> None:
    """`plugin-monitor backup` beside the monitor's own: neither removes the
    other's scratch folder; only a dead process's is cleared."""
    folder = tmp_path / "backups"
    living = folder / f".partial-{os.getpid()}-abc"
    living.mkdir(parents=True)
    gone = folder / ".partial-999999999-abc"
    gone.mkdir()
    assert backup_in_progress(folder)
    take_backup(monitor.paths, folder)
    assert living.exists() and not gone.exists()
    living.rmdir()
    assert not backup_in_progress(folder)
