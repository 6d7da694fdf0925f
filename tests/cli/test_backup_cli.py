"""`plugin-monitor backup` and the guide's `python scripts/auto_backup.py`,
run as an operator (or cron) runs them, beside a running monitor."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

from desktop_app.config import SettingsFile
from desktop_app.models.audit import AuditFilter
from desktop_app.paths import DATABASE_NAME
from desktop_app.services.backup.archive import backups_in
from desktop_app.services.runtime import PluginMonitor
from tests.cli.test_cli import ROOT, run
from tests.helpers import push


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
