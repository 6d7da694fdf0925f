"""Colours, icons and the light or dark palette. The application icon is the
shipped SVG and PNG set; the tray draws its state as a badge on it, and the
level dots are drawn in code."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication

from desktop_app import bundled
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


def app_icon() -> QIcon:
    """Every rendered size, so each place (title bar, task switcher, dock)
    gets a sharp one; empty where the icons are missing."""
    icon = QIcon()
    for png in sorted(bundled.icon("hicolor").glob("*/apps/plugin-monitor.png")):
        icon.addFile(str(png))
    return icon


def tray_icon(level: AlertLevel | None, size: int = 64) -> QIcon:
    """The application icon with a badge in the worst open level's colour
    (green when nothing is open), large enough to read at a 22 px tray."""
    pixmap = app_icon().pixmap(size, size)
    if pixmap.isNull():
        return dot_icon(level_colour(level), size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(level_colour(level))
    painter.setPen(QPen(QColor("#ffffff"), size / 16))
    badge = size * 0.5
    painter.drawEllipse(int(size - badge - 1), int(size - badge - 1), int(badge), int(badge))
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
