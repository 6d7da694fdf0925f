"""File → Restore from backup…: the backups listed with what restoring gives
up, a confirmed restore into the running monitor, and every view showing the
restored data afterwards."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.views.restore_dialog import RestoreDialog
from tests.helpers import push
from tests.views.conftest import Console


def answer_the_question(
    button: QMessageBox.StandardButton, asking: str = "Restore the backup taken"
) -> None:
    """Press `button` in the question as an operator would."""

    def press() -> None:
        question = QApplication.activeModalWidget()
        if not isinstance(question, QMessageBox):
            QTimer.singleShot(50, press)
            return
        assert asking in question.text()
        clicked = question.button(button)
        assert clicked is not None
        clicked.click()

    QTimer.singleShot(50, press)


def test_a_restore_from_the_file_menu_brings_the_backup_back_everywhere(
    console: Console, qtbot: QtBot
) -> None:
    monitor, window = console.monitor, console.window
    push(monitor, "app", cpu_percent=10.0)
    backup = monitor.backups.back_up_now(actor="test").result(30)
    push(monitor, "app", cpu_percent=99.0)
    push(monitor, "late", cpu_percent=5.0)
    monitor.engine.flush().result(10)
    window.refresh_plugins()
    assert window.open_counts
    qtbot.waitUntil(lambda: window.alerts.model.rowCount() == 1, timeout=5000)
    (action,) = [a for a in window.findChildren(QAction) if a.text() == "&Restore from backup…"]
    action.trigger()
    dialog = window.findChild(RestoreDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    assert not dialog.restore_button.isEnabled(), "nothing is restored before one is chosen"
    gives_up = dialog.table.item(0, 4)
    assert gives_up is not None and gives_up.text().startswith("the 0.0 h since it was taken")
    dialog.table.selectRow(0)
    assert dialog.restore_button.isEnabled()

    answer_the_question(QMessageBox.StandardButton.Cancel)
    dialog.restore_button.click()
    assert monitor.registry.get("late") is not None, "a cancelled restore changes nothing"

    answer_the_question(QMessageBox.StandardButton.Yes)
    dialog.restore_button.click()
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith(f"Restored {backup.name}"),
        timeout=20_000,
    )
    assert monitor.registry.get("late") is None
    assert monitor.engine.open_alerts() == []
    qtbot.waitUntil(lambda: window.alerts.model.rowCount() == 0, timeout=5000)
    assert not window.open_counts, "the badge counts what is open now"
    assert "late" not in [p.key for p in monitor.registry.all()]


def test_the_dialog_says_where_backups_come_from_when_there_are_none(
    console: Console, qtbot: QtBot
) -> None:
    dialog = RestoreDialog(console.monitor, console.window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "No backups in" in dialog.note.text(), timeout=5000)
    assert "Back up now" in dialog.note.text()
    assert dialog.table.rowCount() == 0 and not dialog.restore_button.isEnabled()


@pytest.mark.expect_log_warnings  # the damage is logged as an error
def test_damage_found_while_running_offers_the_backups(console: Console, qtbot: QtBot) -> None:
    message = console.monitor.database_check.found("database disk image is malformed")
    assert "is damaged (database disk image is malformed)" in message
    qtbot.waitUntil(lambda: console.window.findChild(QMessageBox) is not None, timeout=5000)
    box = console.window.findChild(QMessageBox)
    assert box is not None and box.text() == message
    (restore,) = [b for b in box.buttons() if b.text() == "&Restore from backup…"]
    restore.click()
    qtbot.waitUntil(lambda: console.window.findChild(RestoreDialog) is not None, timeout=5000)
    health = console.monitor.health().worker("database-check")
    assert health is not None and health.error == message
