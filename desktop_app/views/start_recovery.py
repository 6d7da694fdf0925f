"""A console that cannot open its database because the file is damaged or
lost offers the newest backup, saying when it was taken and how many hours
of data restoring it gives up (R19); `serve --restore-latest` is the same
for the headless service. The damaged file is kept aside by the restore."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.config import SettingsFile
from desktop_app.paths import DataPaths

if TYPE_CHECKING:
    from desktop_app.services.backup.archive import Backup


def tr(text: str) -> str:
    return QCoreApplication.translate("StartRecovery", text)


def newest_backup(data_dir: Path) -> Backup | None:
    """Off the UI thread (the backup modules load with the core, not before the window)."""
    from desktop_app.services.backup.archive import backup_directory, backups_in
    from desktop_app.services.opening import backups_left_to_server

    paths = DataPaths(data_dir)
    if backups_left_to_server(paths):
        return None  # PostgreSQL's own tools restore it
    found = backups_in(backup_directory(paths, SettingsFile(paths.settings_file).load().backup))
    return found[-1] if found else None


def offer_newest_backup(parent: QWidget, problem: str, newest: Backup) -> bool:
    """Whether the operator chose to restore `newest` and start."""
    hours = (time.time() - newest.taken_at) / 3600
    asked = QMessageBox.question(
        parent,
        "Plugin Monitor",
        tr(
            "{problem}\n\nRestore the newest backup, taken {taken}, and start? The data "
            "stored in the {hours:.1f} hours since then is lost; the damaged database is "
            "kept aside."
        ).format(
            problem=problem,
            taken=time.strftime("%Y-%m-%d %H:%M", time.localtime(newest.taken_at)),
            hours=hours,
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Close,
        QMessageBox.StandardButton.Yes,
    )
    return asked == QMessageBox.StandardButton.Yes


def restore_newest(data_dir: Path, newest: Backup, actor: str) -> None:
    """Off the UI thread, before the monitor opens the folder."""
    from desktop_app.services.backup.restore import restore

    restore(DataPaths(data_dir), newest.path, actor=actor)
