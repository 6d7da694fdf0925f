"""A real console window on a real monitor, offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from desktop_app.services.runtime import PluginMonitor
from desktop_app.views.app import build_window
from desktop_app.views.bridge import CoreBridge
from desktop_app.views.main_window import MainWindow


@pytest.fixture(autouse=True)
def _fail_on_running_qt_jobs(qapp: object) -> Iterator[None]:
    """Background jobs (QThreadPool) must have finished when a console test ends."""
    yield
    pool = QThreadPool.globalInstance()
    if not pool.waitForDone(5_000):
        pytest.fail(
            f"the test left {pool.activeThreadCount()} Qt background jobs running",
            pytrace=False,
        )


@dataclass
class Console:
    window: MainWindow
    bridge: CoreBridge
    monitor: PluginMonitor


@pytest.fixture
def console(qtbot: QtBot, qapp: object, data_dir: Path) -> Iterator[Console]:
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(
        '[api]\nenabled = false\n[console]\ntheme = "light"\nlanguage = "en"\n'
        'tray_level = "warning"\n'
    )
    window, bridge, state = build_window(qapp, data_dir)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "monitor" in state, timeout=15_000)
    monitor: PluginMonitor = state["monitor"]
    window.set_monitoring(False)
    yield Console(window, bridge, monitor)
    bridge.disconnect_monitor()
    monitor.stop()
    window.quitting = True


@pytest.fixture
def console_with_api(
    qapp: object, qtbot: QtBot, data_dir: Path
) -> Iterator[tuple[MainWindow, str]]:
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(
        '[api]\nport = 0\nws_port = 0\nauto_register = true\n[console]\nlanguage = "en"\n'
    )
    window, bridge, state = build_window(qapp, data_dir)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "monitor" in state, timeout=15_000)
    monitor = state["monitor"]
    assert monitor.api is not None
    yield window, f"http://127.0.0.1:{monitor.api.ports['API']}"
    bridge.disconnect_monitor()
    monitor.stop()
    window.quitting = True
