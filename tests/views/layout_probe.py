"""Run by test_layouts.py in a process of its own (QT_SCALE_FACTOR must be set
before Qt starts): the console at 1024x700 logical pixels, every page shown in
turn; prints, as JSON, the window's size and every visible button or field
that is cut off or squeezed below its size hint."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QRect, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)

from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.views.app import build_window

WIDTH, HEIGHT = 1024, 700


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def in_scroll_area(widget: QWidget, page: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def cut_off(window: QWidget, page: QWidget) -> list[str]:
    """Controls of `page` outside the window or narrower than their text needs."""
    found = []
    inside = QRect(0, 0, window.width(), window.height())
    for kind in (QAbstractButton, QComboBox, QLineEdit):
        for widget in page.findChildren(kind):
            if not widget.isVisible() or in_scroll_area(widget, page):
                continue  # scrolled out of sight is fine: it can be scrolled to
            where = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
            name = getattr(widget, "text", lambda: "")() or type(widget).__name__
            if not inside.contains(where):
                found.append(f"outside: {name}")
            elif (
                isinstance(widget, QAbstractButton)
                and widget.text()
                and widget.width() < widget.sizeHint().width() - 2
            ):
                found.append(f"squeezed: {name}")
    return found


def main() -> None:
    data_dir = Path(sys.argv[1])
    app = QApplication([])
    window, bridge, state = build_window(app, data_dir)
    window.show()
    deadline = time.time() + 30
    while "monitor" not in state and time.time() < deadline:
        wait(50)
    monitor = state["monitor"]
    monitor.registry.register("app", "App", PluginSource.API)
    monitor.ingest([Sample("app", time.time(), cpu_percent=99.0)]).result(10)
    monitor.engine.flush().result(10)
    window.refresh_plugins()
    window.resize(WIDTH, HEIGHT)
    wait(300)
    problems: dict[str, list[str]] = {}
    for index in range(window.pages.count()):
        window.nav.setCurrentRow(index)
        wait(150)
        page = window.pages.widget(index)
        problems[type(page).__name__] = cut_off(window, page)
    result = {
        "size": [window.width(), window.height()],
        "ratio": window.devicePixelRatioF(),
        "problems": problems,
    }
    bridge.disconnect_monitor()
    monitor.stop()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
