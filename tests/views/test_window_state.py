"""Window size, splitter positions and the page shown are kept in the data
folder's console.ini and come back at the next start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from desktop_app.models.levels import AlertLevel
from desktop_app.views.bridge import CoreBridge
from desktop_app.views.main_window import MainWindow


def window_on(path: Path, qtbot: QtBot) -> MainWindow:
    window = MainWindow(
        CoreBridge(), QSettings(str(path), QSettings.Format.IniFormat), AlertLevel.CRITICAL
    )
    qtbot.addWidget(window)
    window.show()
    return window


def test_size_splitters_and_page_come_back(qtbot: QtBot, tmp_path: Path) -> None:
    state = tmp_path / "config" / "console.ini"
    first = window_on(state, qtbot)
    first.resize(1100, 760)
    first.nav.setCurrentRow(3)
    first.alerts.splitter.setSizes([300, 600])
    first.plugins.splitter.setSizes([150, 400])
    wanted = (first.alerts.splitter.sizes(), first.plugins.splitter.sizes())
    first.window_state.save(first, first.nav)  # what closing the window does
    first.hide()
    assert state.exists()
    stored = QSettings(str(state), QSettings.Format.IniFormat)
    assert stored.value("window/geometry") == first.saveGeometry()
    again = window_on(state, qtbot)
    assert again.nav.currentRow() == 3 and again.pages.currentWidget() is again.alerts
    # The offscreen platform's 800x600 screen clamps a restored width to the
    # window's minimum, so widths are compared as the splitters' shares.
    assert again.height() == 760
    for splitter, sizes in zip(
        (again.alerts.splitter, again.plugins.splitter), wanted, strict=True
    ):
        share = splitter.sizes()[0] / sum(splitter.sizes())
        assert abs(share - sizes[0] / sum(sizes)) < 0.02
