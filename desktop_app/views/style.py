"""Colours, icons and the light or dark palette, drawn in code: no image files."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from desktop_app.models.levels import AlertLevel

LEVEL_COLOURS = {
    None: "#2e9d57",
    AlertLevel.INFO: "#3b82f6",
    AlertLevel.WARNING: "#e5a000",
    AlertLevel.ERROR: "#e4572e",
    AlertLevel.CRITICAL: "#c81d25",
}
DISABLED_COLOUR = "#8a8f98"


def level_colour(level: AlertLevel | None) -> QColor:
    return QColor(LEVEL_COLOURS[level])


def dot_icon(colour: QColor, size: int = 64) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(colour)
    painter.setPen(colour.darker(130))
    painter.drawEllipse(4, 4, size - 8, size - 8)
    painter.end()
    return QIcon(pixmap)


def is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, theme: str) -> None:
    """`system` follows the platform; `light` and `dark` force one."""
    app.setStyle("Fusion")
    dark = is_dark() if theme == "system" else theme == "dark"
    palette = QPalette()
    if dark:
        colours = {
            QPalette.ColorRole.Window: "#1f2227",
            QPalette.ColorRole.WindowText: "#e6e6e6",
            QPalette.ColorRole.Base: "#16181c",
            QPalette.ColorRole.AlternateBase: "#23262c",
            QPalette.ColorRole.Text: "#e6e6e6",
            QPalette.ColorRole.Button: "#2a2e35",
            QPalette.ColorRole.ButtonText: "#e6e6e6",
            QPalette.ColorRole.Highlight: "#3b82f6",
            QPalette.ColorRole.HighlightedText: "#ffffff",
            QPalette.ColorRole.ToolTipBase: "#2a2e35",
            QPalette.ColorRole.ToolTipText: "#e6e6e6",
            QPalette.ColorRole.PlaceholderText: "#8a8f98",
        }
        for role, value in colours.items():
            palette.setColor(role, QColor(value))
    app.setPalette(palette)
    app.setProperty("dark_theme", dark)
