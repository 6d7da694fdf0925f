"""The window's size, its splitter positions and the page shown, kept in the
data folder (`config/console.ini`), never in the home folder's QSettings, so
tests and a second data folder never share them."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QListWidget, QMainWindow, QSplitter


class WindowState:
    def __init__(self, settings: QSettings, splitters: dict[str, QSplitter]) -> None:
        self.settings = settings
        self.splitters = splitters  # by a name that stays the same across versions

    def restore(self, window: QMainWindow, nav: QListWidget) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            window.restoreGeometry(geometry)
        for name, splitter in self.splitters.items():
            sizes = self.settings.value(f"splitters/{name}")
            if sizes is not None:
                splitter.restoreState(sizes)
        page = str(self.settings.value("window/page", 0))
        nav.setCurrentRow(int(page) if page.isdigit() else 0)

    def save(self, window: QMainWindow, nav: QListWidget) -> None:
        self.settings.setValue("window/geometry", window.saveGeometry())
        self.settings.setValue("window/page", nav.currentRow())
        for name, splitter in self.splitters.items():
            self.settings.setValue(f"splitters/{name}", splitter.saveState())
        self.settings.sync()
