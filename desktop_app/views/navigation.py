"""The side bar that picks the page: one entry per page; the Alerts entry
carries the open alerts by level, one a line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget

STYLE = (
    "QListWidget { font-size: 15px; padding-top: 12px; background: palette(alternate-base); }"
    "QListWidget::item { padding: 10px 16px; }"
    "QListWidget::item:selected { background: palette(highlight); "
    "color: palette(highlighted-text); border-radius: 4px; }"
)


def side_bar() -> QListWidget:
    nav = QListWidget()
    nav.setFixedWidth(180)
    nav.setFrameShape(QListWidget.Shape.NoFrame)
    nav.setWordWrap(True)
    nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    nav.setStyleSheet(STYLE)
    return nav
