"""Backups while the monitor runs: on demand, on schedule, pruned."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.config import BackupSettings
from desktop_app.errors import OperatorError
from desktop_app.models.audit import AuditFilter
from desktop_app.models.plugins import SECURITY_PLUGIN_KEY
from desktop_app.models.samples import Sample
from desktop_app.services.backup.archive import backups_in, take_backup
from desktop_app.services.backup.scheduler import FIRST_DELAY, LOOK_SECONDS, BackupScheduler
from desktop_app.services.runtime import PluginMonitor
from desktop_app.services.workers import deadline_in
from tests.helpers import NO_API, wait_until


def scheduler_for(
    monitor: PluginMonitor,
    settings: BackupSettings,
    emit: Callable[[list[Sample]], None] = list,
    first_delay: float = FIRST_DELAY,
) -> BackupScheduler:
    """A second scheduler on the monitor's folder, with its own settings."""
    return BackupScheduler(
        monitor.paths,
        lambda: settings,
        audit=monitor.audit,
        emit=emit,
        open_alerts=monitor.engine.open_alerts,
        secrets=monitor.secrets,
        first_delay=first_delay,
    )


def test_back_up_now_runs_on_the_scheduler_and_reports_the_backup(monitor: PluginMonitor) -> None:
    backup = monitor.backups.back_up_now(actor="ops (console)").result(30)
    assert backup.path.parent == monitor.paths.backups_dir
    assert backups_in(monitor.paths.backups_dir) == [backup]
    details = monitor.backups.health().details
    assert details["newest_backup_age_hours"] == 0.0 and details["last_error"] == ""
    (row,) = monitor.audit.page(AuditFilter(action="backup"), limit=5)
    assert (row.actor, row.action, row.target) == ("ops (console)", "backup.create", backup.name)
    assert row.new_value is not None and row.new_value.startswith(str(backup.path))


def test_a_due_backup_is_taken_and_old_ones_are_pruned(
    monitor: PluginMonitor, tmp_path: Path
) -> None:
    folder = tmp_path / "elsewhere"
    day_ago = time.time() - 86_400
    for hours in (1, 2, 3):
        take_backup(monitor.paths, folder, now=day_ago - hours * 3600)
    settings = BackupSettings(directory=str(folder), keep_hourly=2, keep_daily=1, keep_weekly=1)
    scheduler = scheduler_for(monitor, settings, first_delay=0.0)
    scheduler.start()
    try:
        wait_until(lambda: len(backups_in(folder)) == 2, what="a backup taken, two pruned")
        newest = backups_in(folder)[-1]
        assert time.time() - newest.taken_at < 30, "the newest is the one just taken"
        (row,) = monitor.audit.page(AuditFilter(action="backup.create"), limit=5)
        assert (row.actor, row.target) == ("monitor (backup.interval_hours)", newest.name)
    finally:
        assert scheduler.stop(deadline_in(10))


@pytest.mark.expect_log_warnings
def test_a_failed_backup_is_told_in_health_and_to_whoever_asked(
    monitor: PluginMonitor, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings = BackupSettings(directory=str(blocker / "backups"))
    scheduler = scheduler_for(monitor, settings)
    scheduler.start()
    try:
        with pytest.raises(OperatorError, match="cannot create the backup folder"):
            scheduler.back_up_now(actor="ops").result(30)
        health = scheduler.health()
        assert not health.ok and "cannot create the backup folder" in (health.error or "")
    finally:
        assert scheduler.stop(deadline_in(10))


def test_overdue_backups_are_told_to_the_security_plugin_and_end_with_a_backup(
    monitor: PluginMonitor, tmp_path: Path
) -> None:
    folder = tmp_path / "late"
    take_backup(monitor.paths, folder, now=time.time() - 3 * 3600)
    settings = BackupSettings(directory=str(folder), interval_hours=1.0)
    told: list[Sample] = []
    scheduler = scheduler_for(monitor, settings, emit=told.extend, first_delay=3600.0)
    assert scheduler.overdue(time.time(), scheduler.newest()), "3 h old, twice the hour passed"
    scheduler.start()
    try:
        wait_until(lambda: told, what="the first look")
        assert told[0].plugin_key == SECURITY_PLUGIN_KEY
        assert told[0].extras == {"backup_overdue": 1.0}
        assert scheduler.health().details["backup_overdue"] is True
        scheduler.back_up_now(actor="test").result(30)
        wait_until(lambda: told[-1].extras == {"backup_overdue": 0.0}, what="on time again")
    finally:
        assert scheduler.stop(deadline_in(10))


def test_an_overdue_alert_left_open_by_the_last_run_resolves_at_the_next_start(
    data_dir: Path,
) -> None:
    def overdue_alerts(monitor: PluginMonitor) -> list[str]:
        return [a.rule for a in monitor.engine.open_alerts() if a.rule == "backup_overdue"]

    first = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    first.start(monitoring=False)
    sample = Sample(SECURITY_PLUGIN_KEY, time.time(), extras={"backup_overdue": 1.0})
    first.ingest([sample]).result(10)
    first.engine.flush().result(10)
    assert overdue_alerts(first) == ["backup_overdue"]
    first.stop()
    again = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    again.start(monitoring=False)
    try:
        wait_until(lambda: not overdue_alerts(again), what="the standing alert resolved")
    finally:
        again.stop()


def test_a_due_backup_waits_while_another_is_being_made(
    monitor: PluginMonitor, tmp_path: Path
) -> None:
    """`plugin-monitor backup` under way beside the monitor: the schedule
    does not start a second one at once, and takes its turn after."""
    folder = tmp_path / "elsewhere"
    under_way = folder / f".partial-{os.getpid()}-cli"
    under_way.mkdir(parents=True)
    scheduler = scheduler_for(monitor, BackupSettings(directory=str(folder)), first_delay=0.0)
    assert scheduler._due_in(running_for=10.0) == LOOK_SECONDS
    under_way.rmdir()
    assert scheduler._due_in(running_for=10.0) == 0.0
