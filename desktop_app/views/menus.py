"""The menus. File: export, install a plugin, back up now and quit. Help: the
documentation, the keyboard shortcuts, the daily checks, and About (versions
and the data folder, which is what a bug report needs first)."""

from __future__ import annotations

import platform
from collections.abc import Callable
from pathlib import Path

import pyqtgraph
import PySide6
from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox

from desktop_app import __version__

README = Path(__file__).resolve().parents[2] / "README.md"


def tr(text: str) -> str:
    return QCoreApplication.translate("Help", text)


def about_text(data_folder: str) -> str:
    from desktop_app.services.storage.database import engine_version  # off the start path

    versions = [
        ("Plugin Monitor", __version__),
        ("Python", platform.python_version()),
        ("PySide6 (Qt)", PySide6.__version__),
        ("pyqtgraph", pyqtgraph.__version__),
        ("Database", engine_version()),
    ]
    rows = "".join(f"<tr><td>{name}</td><td>{version}</td></tr>" for name, version in versions)
    folder = tr("Data folder")
    return f"<table>{rows}</table><p>{folder}: <code>{data_folder}</code></p>"


def shortcuts_text(window: QMainWindow) -> str:
    """Read from the window's own actions, so the list is never out of date."""
    found = {
        action.text().replace("&", ""): action.shortcut().toString(
            QKeySequence.SequenceFormat.NativeText
        )
        for action in window.findChildren(QAction)
        if not action.shortcut().isEmpty()
    }
    rows = "".join(
        f"<tr><td><b>{keys}</b></td><td>{text}</td></tr>" for text, keys in found.items()
    )
    return f"<table>{rows}</table>"


def build_menus(
    window: QMainWindow,
    *,
    export: Callable[[], None],
    quit_app: Callable[[], None],
    data_folder: Callable[[], Path | None],
    install: Callable[[bool], None],
    back_up: Callable[[], object],
    restore: Callable[[], object],
    checks: Callable[[], None],
    connect: Callable[[], None],
) -> list[QAction]:
    """The menus; returns the actions that work on files of the embedded
    monitor's machine (a window on a remote monitor says where to do them)."""
    file_menu = window.menuBar().addMenu(tr("&File"))
    connect_action = QAction(tr("&Connect to monitor…"), window)
    connect_action.triggered.connect(connect)
    file_menu.addAction(connect_action)
    file_menu.addSeparator()
    export_action = QAction(tr("&Export samples…"), window)
    export_action.triggered.connect(export)
    file_menu.addAction(export_action)
    local = [export_action]
    file_menu.addSeparator()
    for text, archive in (
        (tr("Install plugin &folder…"), False),
        (tr("Install plugin &archive…"), True),
    ):
        action = QAction(text, window)
        action.triggered.connect(lambda _=False, archive=archive: install(archive))
        file_menu.addAction(action)
        local.append(action)
    file_menu.addSeparator()
    backup_action = QAction(tr("&Back up now"), window)
    backup_action.triggered.connect(back_up)
    file_menu.addAction(backup_action)
    restore_action = QAction(tr("&Restore from backup…"), window)
    restore_action.triggered.connect(restore)
    file_menu.addAction(restore_action)
    local += [backup_action, restore_action]
    file_menu.addSeparator()
    quit_action = QAction(tr("&Quit"), window)
    quit_action.setShortcut("Ctrl+Q")
    quit_action.triggered.connect(quit_app)
    file_menu.addAction(quit_action)
    menu = window.menuBar().addMenu(tr("&Help"))
    docs = QAction(tr("&Documentation"), window)
    docs.setShortcut("F1")
    docs.triggered.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(README))))
    docs.setEnabled(README.exists())
    menu.addAction(docs)
    keys = QAction(tr("&Keyboard shortcuts"), window)
    keys.triggered.connect(
        lambda: QMessageBox.information(window, tr("Keyboard shortcuts"), shortcuts_text(window))
    )
    menu.addAction(keys)
    daily = QAction(tr("Run the &daily checks"), window)
    daily.triggered.connect(checks)
    menu.addAction(daily)
    about = QAction(tr("&About Plugin Monitor"), window)
    about.triggered.connect(
        lambda: QMessageBox.about(
            window, tr("About Plugin Monitor"), about_text(str(data_folder() or tr("not open yet")))
        )
    )
    menu.addAction(about)
    return local
