"""File → Back up now: a backup while the console runs, shown as it runs and
reported where it went."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

from desktop_app.services.backup.archive import backups_in
from tests.views.conftest import Console


def test_back_up_now_from_the_file_menu(console: Console, qtbot: QtBot) -> None:
    window = console.window
    (action,) = [a for a in window.findChildren(QAction) if a.text() == "&Back up now"]
    action.trigger()
    busy = window.findChild(QProgressDialog)
    assert busy is not None and busy.labelText().startswith("Backing up the database")
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith("Backed up to "), timeout=15_000
    )
    (backup,) = backups_in(console.monitor.paths.backups_dir)
    assert str(backup.path) in window.statusBar().currentMessage()
    assert not busy.isVisible()


def test_the_status_bar_says_the_newest_backups_age_and_marks_it_overdue(
    console: Console, qtbot: QtBot
) -> None:
    labels = console.window.status
    console.window.refresh_status()
    qtbot.waitUntil(lambda: labels.backup.text() == "No backup yet", timeout=5000)
    console.monitor.backups.back_up_now(actor="test").result(30)
    console.window.refresh_status()
    qtbot.waitUntil(lambda: labels.backup.text() == "Backup 0.0 h ago", timeout=5000)
    assert labels.backup.styleSheet() == ""
    labels.show_backup({"newest_backup_age_hours": 5.0, "backup_overdue": True})
    assert labels.backup.text() == "Backup 5.0 h ago" and "c81d25" in labels.backup.styleSheet()


def test_the_settings_page_sets_the_backups_and_says_to_export_the_key(
    console: Console, qtbot: QtBot
) -> None:
    page = console.window.settings_page
    console.window.show_page(page)
    page.load()
    form = page.backups
    assert (form.interval.value(), [box.value() for box in form.keep.values()]) == (1.0, [24, 7, 4])
    assert not form.export_hint.isVisible()
    form.encrypt.setChecked(True)
    assert form.export_hint.isVisible() and "export-key" in form.export_hint.text()
    form.interval.setValue(6.0)
    form.keep["daily"].setValue(14)
    page.apply()
    qtbot.waitUntil(lambda: console.monitor.settings.backup.interval_hours == 6.0, timeout=5000)
    backup = console.monitor.settings.backup
    assert (backup.keep_daily, backup.encrypt, backup.directory) == (14, True, "")
    qtbot.waitUntil(
        lambda: console.window.statusBar().currentMessage().startswith("Settings applied"),
        timeout=5000,
    )
    assert "next start" not in console.window.statusBar().currentMessage(), "applies live"


def test_on_postgresql_the_status_bar_says_whose_tools_back_it_up(console: Console) -> None:
    labels = console.window.status
    advice = "the history is in PostgreSQL (postgresql://pm@db/pm), which … pg_dump …"
    labels.show_backup({"left_to_server": advice, "newest_backup_age_hours": None})
    assert labels.backup.text() == "Backups by PostgreSQL's tools"
    assert labels.backup.toolTip() == advice and labels.backup.styleSheet() == ""
