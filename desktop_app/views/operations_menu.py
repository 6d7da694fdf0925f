"""Operator actions of the menus: the guide's daily checks (R28) shown as a
report, installing a plugin (R25) from a folder or an archive, a backup now
(R19), shown as it runs, and a restore from one. All run off the UI thread;
a refusal is shown as it was worded."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
)

from desktop_app.views.operator import console_actor
from desktop_app.views.plugin_states import state_text
from desktop_app.views.tasks import run_in_background

if TYPE_CHECKING:
    from desktop_app.models.supervision import PluginStatus
    from desktop_app.services.backup.archive import Backup
    from desktop_app.services.operations import CheckReport
    from desktop_app.services.runtime import PluginMonitor
    from desktop_app.views.sources import ShownMonitor


def tr(text: str) -> str:
    return QCoreApplication.translate("Operations", text)


def _warn(window: QMainWindow, title: str) -> Callable[[str], None]:
    def show(message: str) -> None:
        QMessageBox.warning(window, title, message)

    return show


def report_html(report: CheckReport) -> str:
    rows = "".join(
        f"<tr><td><b style='color:{'#2e9d4f' if item.ok else '#d9534f'}'>"
        f"{tr('ok') if item.ok else tr('needs attention')}</b></td>"
        f"<td>{escape(item.name)}</td><td>{escape(item.text)}</td></tr>"
        for item in report.items
    )
    verdict = tr("All well.") if report.ok else tr("Something needs attention.")
    return f"<p><b>{verdict}</b></p><table cellspacing='6'>{rows}</table>"


def run_checks(window: QMainWindow, monitor: ShownMonitor | None) -> None:
    """The shown monitor's daily checks, embedded or remote (an admin's key)."""
    if monitor is None:
        return

    def show(report: CheckReport) -> None:
        QMessageBox.information(window, tr("Daily checks"), report_html(report))

    run_in_background(
        monitor.check,
        show,
        _warn(window, tr("Daily checks")),
        owner=window,
    )


def install_plugin(
    window: QMainWindow, monitor: PluginMonitor | None, *, archive: bool, done: Callable[[], None]
) -> None:
    if monitor is None:
        return
    if archive:
        path, _ = QFileDialog.getOpenFileName(
            window, tr("Install a plugin archive"), "", tr("Plugin archives (*.tar.gz *.tgz)")
        )
    else:
        path = QFileDialog.getExistingDirectory(window, tr("Install a plugin folder"))
    if not path:
        return
    control = monitor.plugins

    def installed(status: PluginStatus) -> None:
        text = tr("Plugin {key} installed: {state}").format(
            key=status.plugin_id, state=state_text(status.state.value)
        )
        window.statusBar().showMessage(text, 8000)
        done()

    run_in_background(
        lambda: control.install(Path(path), actor="console"),
        installed,
        _warn(window, tr("Plugin not installed")),
        owner=window,
    )


def back_up_now(window: QMainWindow, monitor: PluginMonitor | None) -> QProgressDialog | None:
    """A backup on the monitor's backup thread, with a busy dialog that does
    not block the window (the copy cannot be stopped halfway, so no Cancel)."""
    if monitor is None:
        return None
    busy = QProgressDialog(tr("Backing up the database and the settings…"), "", 0, 0, window)
    busy.setWindowTitle(tr("Back up now"))
    busy.setCancelButton(None)
    busy.setMinimumDuration(0)
    busy.show()
    scheduler = monitor.backups

    def done(backup: Backup) -> None:
        busy.close()
        text = tr("Backed up to {path} ({size:.1f} MiB)").format(
            path=backup.path, size=backup.size / 1024 / 1024
        )
        window.statusBar().showMessage(text, 15000)

    def failed(message: str) -> None:
        busy.close()
        _warn(window, tr("Backup failed"))(message)

    run_in_background(
        lambda: scheduler.back_up_now(actor=console_actor()).result(), done, failed, owner=window
    )
    return busy


def restore_backup(window: QMainWindow, monitor: PluginMonitor | None) -> QDialog | None:
    """The backups, and a restore of one into the running monitor."""
    if monitor is None:
        return None
    from desktop_app.views.restore_dialog import RestoreDialog

    dialog = RestoreDialog(monitor, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def offer_restore(window: QMainWindow, monitor: PluginMonitor | None, problem: str) -> QMessageBox:
    """The database was found damaged while running: say so, and offer the
    backups (the window stays usable; the box does not wait for an answer)."""
    box = QMessageBox(QMessageBox.Icon.Critical, tr("Database damaged"), problem, parent=window)
    restore = box.addButton(tr("&Restore from backup…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("Later"), QMessageBox.ButtonRole.RejectRole)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.buttonClicked.connect(
        lambda button: restore_backup(window, monitor) if button is restore else None
    )
    box.open()
    return box
