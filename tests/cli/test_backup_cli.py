"""`plugin-monitor backup` and the guide's `python scripts/auto_backup.py`,
run as an operator (or cron) runs them, beside a running monitor."""

from __future__ import annotations

import signal
import subprocess
import sys
import tarfile
from pathlib import Path

from desktop_app.config import SettingsFile
from desktop_app.models.audit import AuditFilter
from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.paths import DATABASE_NAME
from desktop_app.services.backup.archive import backups_in
from desktop_app.services.runtime import PluginMonitor
from tests.cli.test_cli import ROOT, run, start
from tests.helpers import push, wait_until


def test_backup_beside_a_running_monitor_then_list(monitor: PluginMonitor) -> None:
    push(monitor, "billing", cpu_percent=12.0)
    made = run("backup", data_dir=monitor.paths.root)
    assert made.returncode == 0, made.stderr
    (backup,) = backups_in(monitor.paths.backups_dir)
    assert made.stdout.strip().startswith(f"backed up to {backup.path} (")
    with tarfile.open(backup.path) as tar:
        assert DATABASE_NAME in tar.getnames()
    (row,) = monitor.audit.page(AuditFilter(action="backup"), limit=5)
    assert row.actor.startswith("cli (") and row.target == backup.name
    listed = run("backup", "--list", data_dir=monitor.paths.root)
    assert listed.returncode == 0 and str(backup.path) in listed.stdout


def auto_backup(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "auto_backup.py"), "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_auto_backup_is_quiet_when_it_works_and_one_line_when_not(
    monitor: PluginMonitor, tmp_path: Path
) -> None:
    quiet = auto_backup(monitor.paths.root)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    assert len(backups_in(monitor.paths.backups_dir)) == 1
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    SettingsFile(monitor.paths.settings_file).apply(
        [(("backup", "directory"), str(blocker / "backups"))]
    )
    failed = auto_backup(monitor.paths.root)
    assert failed.returncode != 0 and failed.stdout == ""
    (line,) = failed.stderr.splitlines()
    assert line.startswith("plugin-monitor: error: ") and "cannot create the backup folder" in line


def backed_up_folder(data_dir: Path) -> str:
    """A data folder with one sample and one backup; the backup's name."""
    monitor = PluginMonitor.open(data_dir, collectors=[], api={"enabled": False})
    monitor.start(monitoring=False)
    try:
        push(monitor, "billing", cpu_percent=12.0)
        return monitor.backups.back_up_now(actor="test").result(30).name
    finally:
        monitor.stop()


def test_a_damaged_database_at_start_names_the_backup_and_restore_latest_uses_it(
    data_dir: Path,
) -> None:
    name = backed_up_folder(data_dir)
    database = data_dir / DATABASE_NAME
    with database.open("r+b") as file:
        file.write(b"\xff" * 100)  # the header: "file is not a database"
    refused = run("serve", "--no-api", data_dir=data_dir)
    assert refused.returncode == 2
    (line,) = refused.stderr.splitlines()
    assert line.startswith(f"plugin-monitor: error: {database}: is not a SQLite database")
    assert f"plugin-monitor restore {name} (or serve --restore-latest)" in line
    server = start("serve", "--no-api", "--restore-latest", data_dir=data_dir)
    try:
        said = []
        while not said or not said[-1].startswith("Plugin Monitor is running"):
            said.append(server.stderr.readline() if server.stderr else "")
            assert said[-1], "serve ended before it ran"
        assert any(f"restored {data_dir / 'backups' / name}" in line for line in said)
        assert any("what came in during the last 0.0 hours is lost" in line for line in said)
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)
    assert server.returncode == 0
    assert list(data_dir.glob(f"{DATABASE_NAME}.before-restore-*")), "the damaged one kept"


def test_a_lost_database_beside_its_backups_is_not_silently_started_afresh(
    data_dir: Path,
) -> None:
    name = backed_up_folder(data_dir)
    (data_dir / DATABASE_NAME).unlink()
    refused = run("serve", "--no-api", data_dir=data_dir)
    assert refused.returncode == 2
    assert "missing, though there are backups of it" in refused.stderr
    assert f"plugin-monitor restore {name}" in refused.stderr
    assert not (data_dir / DATABASE_NAME).exists()


def test_a_backup_killed_halfway_is_never_listed_and_the_next_one_clears_it(
    monitor: PluginMonitor,
) -> None:
    rows = [Sample("bulk", 1_700_000_000.0 + n, cpu_percent=float(n % 97)) for n in range(150_000)]
    monitor.registry.register("bulk", "bulk", PluginSource.API)
    monitor.ingest(rows).result(120)
    folder = monitor.paths.backups_dir
    child = subprocess.Popen(
        [sys.executable, "-m", "desktop_app", "backup", "--data-dir", str(monitor.paths.root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until(lambda: list(folder.glob(".partial-*/*")), what="the backup under way")
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert backups_in(folder) == [], "a backup cut short is not a backup"
    assert list(folder.glob(".partial-*"))
    made = run("backup", data_dir=monitor.paths.root)
    assert made.returncode == 0, made.stderr
    assert len(backups_in(folder)) == 1 and not list(folder.glob(".partial-*"))
