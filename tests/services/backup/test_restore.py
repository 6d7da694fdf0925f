"""Restoring a backup as an operator does, with the command line: what it
brings back, what it keeps, and what it refuses."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

from desktop_app.models.audit import AuditFilter
from desktop_app.models.auth import Role
from desktop_app.paths import DATABASE_NAME
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.backup.archive import Backup
from desktop_app.services.runtime import PluginMonitor
from tests.cli.test_cli import run
from tests.helpers import NO_API, push, require_tools, wait_until


def started(data_dir: Path) -> PluginMonitor:
    monitor = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    monitor.start(monitoring=False)
    return monitor


def samples_in(database: Path) -> int:
    """The `app` plugin's samples (the built-in security plugin has its own)."""
    with sqlite3.connect(database) as conn:
        query = "SELECT count(*) FROM samples_readable WHERE plugin = 'app'"
        return int(conn.execute(query).fetchone()[0])


def test_a_restore_brings_the_backup_back_and_a_later_revocation_stays(data_dir: Path) -> None:
    monitor = started(data_dir)
    keys = ApiKeyStore(monitor.database)
    old, _token = keys.create(name="billing plugin", role=Role.OPERATOR)
    for cpu in (10.0, 20.0, 30.0):
        push(monitor, "app", cpu_percent=cpu)
    backup = monitor.backups.back_up_now(actor="test").result(30)
    push(monitor, "app", cpu_percent=40.0)
    keys.revoke(old.id, actor="test")
    audit_log = data_dir / "logs" / "audit.log"
    wait_until(lambda: '"key.revoke"' in audit_log.read_text(), what="the revocation in audit.log")
    monitor.stop()
    restored = run("restore", backup.name, data_dir=data_dir)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"restored {monitor.backups.directory / backup.name} (taken ")
    assert "1 key revocation(s) made after it applied again" in restored.stdout
    (aside,) = data_dir.glob(f"{DATABASE_NAME}.before-restore-*")
    assert (samples_in(data_dir / DATABASE_NAME), samples_in(aside)) == (3, 4)
    again = started(data_dir)
    try:
        assert ApiKeyStore(again.database).get(old.id).revoked
        (row,) = again.audit.page(AuditFilter(action="backup.restore"), limit=5)
        assert row.actor.startswith("cli (") and row.target == backup.name
    finally:
        again.stop()
    trail = [json.loads(line) for line in audit_log.read_text().splitlines()]
    assert [e["action"] for e in trail if e["action"] in ("key.revoke", "backup.restore")] == [
        "key.revoke",
        "backup.restore",
    ], "what was done stays in audit.log, and the restore is added to it"


def rewritten(backup: Backup, into: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """The same archive with each file's content passed through `change(name, content)`."""
    altered = into / backup.name
    with tarfile.open(backup.path) as source, tarfile.open(altered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if data is None:  # a folder
                target.addfile(member)
                continue
            content = change(member.name, data.read())
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    return altered


def flip_last_byte(name: str, content: bytes) -> bytes:
    return content[:-1] + bytes([content[-1] ^ 0xFF]) if name == DATABASE_NAME else content


def test_a_tampered_backup_is_refused_and_nothing_is_replaced(
    data_dir: Path, tmp_path: Path
) -> None:
    monitor = started(data_dir)
    push(monitor, "app", cpu_percent=10.0)
    backup = monitor.backups.back_up_now(actor="test").result(30)
    monitor.stop()
    before = hashlib.sha256((data_dir / DATABASE_NAME).read_bytes()).hexdigest()
    tampered = rewritten(backup, tmp_path, flip_last_byte)
    refused = run("restore", tampered, data_dir=data_dir)
    assert refused.returncode == 2
    assert "does not match the checksum in its manifest" in refused.stderr
    assert "nothing was restored" in refused.stderr
    assert hashlib.sha256((data_dir / DATABASE_NAME).read_bytes()).hexdigest() == before
    assert not list(data_dir.glob("*.before-restore-*")) and not list(data_dir.glob(".restore-*"))


def test_the_guides_sqlite3_backup_file_restores(data_dir: Path, tmp_path: Path) -> None:
    require_tools("sqlite3")
    monitor = started(data_dir)
    push(monitor, "app", cpu_percent=10.0)
    copy = tmp_path / "backup_20240115_020000.db"
    subprocess.run(
        ["sqlite3", str(data_dir / DATABASE_NAME), f".backup {copy}"], check=True, timeout=30
    )
    push(monitor, "app", cpu_percent=20.0)
    monitor.stop()
    restored = run("restore", copy, data_dir=data_dir)
    assert restored.returncode == 0, restored.stderr
    assert "(a plain SQLite file)" in restored.stdout
    assert samples_in(data_dir / DATABASE_NAME) == 1


def test_restore_refuses_while_a_monitor_runs(monitor: PluginMonitor) -> None:
    backup = monitor.backups.back_up_now(actor="test").result(30)
    refused = run("restore", backup.name, data_dir=monitor.paths.root)
    assert refused.returncode == 2
    assert "runs on" in refused.stderr and "or stop it first" in refused.stderr


def test_the_monthly_restore_test_opens_the_newest_backup(monitor: PluginMonitor) -> None:
    for cpu in (10.0, 20.0):
        push(monitor, "app", cpu_percent=cpu)
    monitor.backups.back_up_now(actor="test").result(30)
    without_keyring = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    command = [sys.executable, "-m", "desktop_app", "backup", "--verify-restore"]
    tested = subprocess.run(
        [*command, "--data-dir", str(monitor.paths.root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=without_keyring,  # where the scratch folder's secrets would go would be said
    )
    assert (tested.returncode, tested.stderr) == (0, ""), "nothing said of the scratch folder"
    assert tested.stdout.startswith("the newest backup restores and a monitor opens it: ")
    assert "samples, 3 plugins, 0 alerts, as its manifest says" in tested.stdout


def test_the_restore_test_fails_a_backup_short_of_its_manifest(
    monitor: PluginMonitor, tmp_path: Path
) -> None:
    push(monitor, "app", cpu_percent=10.0)
    backup = monitor.backups.back_up_now(actor="test").result(30)

    def overstated(name: str, content: bytes) -> bytes:
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["rows"]["samples"] = 99
        return json.dumps(manifest).encode()

    short = rewritten(backup, tmp_path, overstated)
    shutil.move(short, backup.path)
    tested = run("backup", "--verify-restore", data_dir=monitor.paths.root)
    assert tested.returncode == 2
    assert "its samples table holds" in tested.stderr and "its manifest says 99" in tested.stderr


def test_the_config_folder_is_restored_when_asked_and_the_replaced_one_kept(
    data_dir: Path, tmp_path: Path
) -> None:
    monitor = started(data_dir)
    monitor.settings_service.apply({"collection.interval": 15.0}, actor="test")
    backup = monitor.backups.back_up_now(actor="test").result(30)
    monitor.settings_service.apply({"collection.interval": 45.0}, actor="test")
    monitor.stop()
    plain = tmp_path / "plain.db"
    shutil.copyfile(data_dir / DATABASE_NAME, plain)
    refused = run("restore", plain, "--with-config", data_dir=data_dir)
    assert refused.returncode == 2 and "holds no config folder; nothing was restored" in (
        refused.stderr
    )
    assert not list(data_dir.glob("*.before-restore-*"))
    restored = run("restore", backup.name, "--with-config", data_dir=data_dir)
    assert restored.returncode == 0, restored.stderr
    assert "its config folder too, the one it replaced kept as " in restored.stdout
    settings = (data_dir / "config" / "settings.toml").read_text()
    assert "interval = 15.0" in settings
    (aside,) = data_dir.glob("config.before-restore-*")
    assert "interval = 45.0" in (aside / "settings.toml").read_text()
