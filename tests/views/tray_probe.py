"""Run by test_tray.py inside Xvfb with trayer: a real system tray."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.views.app import build_window
from desktop_app.views.main_window import MainWindow


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def badge(window: MainWindow) -> str:
    return window.tray.badge.label if window.tray.badge is not None else "none"


def main() -> None:
    data_dir = Path(sys.argv[1])
    trayer = subprocess.Popen([shutil.which("trayer") or "trayer", "--edge", "top"])
    app = QApplication([])
    app.setQuitOnLastWindowClosed(False)
    deadline = time.time() + 10
    while not QSystemTrayIcon.isSystemTrayAvailable() and time.time() < deadline:
        wait(100)
    window, bridge, state = build_window(app, data_dir)
    window.show()
    while "monitor" not in state and time.time() < deadline + 20:
        wait(50)
    monitor = state["monitor"]
    monitor.registry.register("app", "App", PluginSource.API)
    monitor.ingest([Sample("app", time.time(), cpu_percent=99.0)]).result(10)
    monitor.engine.flush().result(10)
    wait(500)
    window.refresh_plugins()
    assert window.tray.icon is not None
    drawn = window.tray.icon.icon().cacheKey()
    window.refresh_plugins()  # the same level: the same icon, not drawn again
    badges = [badge(window), window.tray.icon.icon().cacheKey() == drawn]
    window.hide()
    monitor.ingest([Sample("app", time.time(), memory_percent=99.0)]).result(10)
    monitor.engine.flush().result(10)
    wait(500)
    # Recoveries: not in the tray by default (console.tray_recoveries), then on.
    monitor.ingest([Sample("app", time.time(), cpu_percent=10.0)]).result(10)
    monitor.engine.flush().result(10)
    wait(300)
    window.tray.recoveries = True
    monitor.ingest([Sample("app", time.time(), memory_percent=10.0)]).result(10)
    monitor.engine.flush().result(10)
    wait(500)
    window.refresh_plugins()
    badges.append(badge(window))
    window.show()
    window.close()
    hidden_after_close = window.isVisible()
    window.show_page(window.dashboard)
    assert window.tray.icon is not None
    window.tray.icon.messageClicked.emit()  # what clicking the last message does
    wait(300)
    opened = {
        "visible": window.isVisible(),
        "page": window.pages.currentWidget() is window.alerts,
        "selected": [a.id for a in window.alerts.selected_alerts()],
        "last": window.tray.last_alert,
    }
    result = {
        "tray": window.tray.available,
        "sent": window.tray.sent,
        "visible_after_close": hidden_after_close,
        "opened": opened,
        "quitting": window.quitting,
        "badges": badges,
    }
    bridge.disconnect_monitor()
    monitor.stop()
    trayer.terminate()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
