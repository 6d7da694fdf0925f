"""File → Restore from backup…: the backups with when each was taken, its
size, whether it is encrypted and what restoring it gives up; then a restore
into the running monitor, confirmed first and run off the UI thread (R19).

Every listed backup passed SQLite's integrity check before it was counted,
so the list says so; what restoring gives up is the data stored since, which
the monitor keeps aside rather than deletes.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.backup.archive import SEALED_SUFFIX, backup_directory, backups_in
from desktop_app.views.operator import console_actor
from desktop_app.views.tasks import run_in_background

if TYPE_CHECKING:
    from desktop_app.services.backup.archive import Backup
    from desktop_app.services.backup.restore import Restored
    from desktop_app.services.runtime import PluginMonitor

COLUMNS = ("Taken", "Age", "Size", "Kind", "Restoring gives up")


def tr(text: str) -> str:
    return QCoreApplication.translate("RestoreDialog", text)


def hours_text(hours: float) -> str:
    return tr("{hours:.1f} h").format(hours=hours)


class RestoreDialog(QDialog):
    def __init__(self, monitor: PluginMonitor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.monitor = monitor
        self.setWindowTitle(tr("Restore from backup"))
        self.resize(760, 380)
        self.directory = backup_directory(monitor.paths, monitor.settings.backup)
        self.note = QLabel(
            tr(
                "Each backup passed an integrity check when it was taken. Restoring replaces "
                "the monitor's data with the backup's while it runs; the data stored since is "
                "kept aside in the data folder, not deleted, and key revocations made since "
                "stay in force."
            )
        )
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = self.buttons.addButton(
            tr("&Restore…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(
            lambda: self.restore_button.setEnabled(self.selected() is not None)
        )
        layout = QVBoxLayout(self)
        for widget in (self.note, self.table, self.buttons):
            layout.addWidget(widget)
        self.backups: list[Backup] = []
        directory = self.directory
        run_in_background(lambda: backups_in(directory), self.show_backups, owner=self)

    def show_backups(self, found: list[Backup]) -> None:
        self.backups = list(reversed(found))  # newest first
        self.table.setRowCount(len(self.backups))
        now = time.time()
        for row, backup in enumerate(self.backups):
            age = hours_text((now - backup.taken_at) / 3600)
            cells = (
                time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(backup.taken_at)),
                age,
                tr("{size:.1f} MiB").format(size=backup.size / 1024 / 1024),
                tr("encrypted") if backup.name.endswith(SEALED_SUFFIX) else tr("archive"),
                tr("the {age} since it was taken").format(age=age),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(backup.path))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        if not self.backups:
            self.note.setText(
                tr("No backups in {folder} yet: File → Back up now makes one.").format(
                    folder=self.directory
                )
            )

    def selected(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def confirm(self) -> None:
        backup = self.selected()
        if backup is None:
            return
        hours = hours_text((time.time() - backup.taken_at) / 3600)
        asked = QMessageBox.question(
            self,
            tr("Restore from backup"),
            tr(
                "Restore the backup taken {taken}?\n\nThe {hours} of data stored since then "
                "leave the console's views; they are kept aside in the data folder."
            ).format(
                taken=time.strftime("%Y-%m-%d %H:%M", time.localtime(backup.taken_at)),
                hours=hours,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if asked == QMessageBox.StandardButton.Yes:
            self.restore(backup)

    def restore(self, backup: Backup) -> QProgressDialog:
        busy = QProgressDialog(tr("Restoring {name}…").format(name=backup.name), "", 0, 0, self)
        busy.setWindowTitle(tr("Restore from backup"))
        busy.setCancelButton(None)
        busy.setMinimumDuration(0)
        busy.setWindowModality(Qt.WindowModality.WindowModal)
        busy.show()
        monitor, path, actor = self.monitor, backup.path, console_actor()

        def done(restored: Restored) -> None:
            busy.close()
            aside = restored.kept_aside.name if restored.kept_aside else ""
            parent = self.parentWidget()
            if parent is not None and hasattr(parent, "statusBar"):
                parent.statusBar().showMessage(
                    tr("Restored {name}; the data it replaced is kept as {aside}").format(
                        name=backup.name, aside=aside
                    ),
                    15000,
                )
            self.accept()

        def failed(message: str) -> None:
            busy.close()
            QMessageBox.warning(self, tr("Restore failed"), message)

        run_in_background(
            lambda: monitor.restores.restore(path, actor=actor), done, failed, owner=self
        )
        return busy
