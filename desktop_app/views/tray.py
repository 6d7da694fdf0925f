"""The tray icon: its colour is the worst open alert; alerts at or above the
configured level become tray messages, also while the window is hidden, and
clicking one opens that alert."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from desktop_app.models.alerts import AlertEvent
from desktop_app.models.levels import AlertLevel
from desktop_app.views.alert_text import alert_text
from desktop_app.views.style import tray_icon


def tr(text: str) -> str:
    return QCoreApplication.translate("Tray", text)


class Tray:
    """Wraps QSystemTrayIcon; `available` is False where the platform has no
    tray, and then nothing here does anything."""

    def __init__(
        self,
        window: QWidget,
        *,
        toggle_window: Callable[[], None],
        open_alert: Callable[[int], None],
        toggle_monitoring: Callable[[], None],
        quit_app: Callable[[], None],
        level: AlertLevel,
    ) -> None:
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.messages = self.available and QSystemTrayIcon.supportsMessages()
        self.level = level
        self.recoveries = False  # console.tray_recoveries, set once the monitor runs
        self.sent: list[str] = []
        self.last_alert: int | None = None  # what the message on screen is about
        self.monitor_name = ""  # a remote monitor's host and port: said in tooltip and titles
        self.icon: QSystemTrayIcon | None = None
        # One icon per level, drawn once: the plugins' refresh sets it every few
        # seconds, and drawing reads nine PNGs from disk on the UI thread.
        self._icons: dict[AlertLevel | None, QIcon] = {}
        self.badge: AlertLevel | None = None
        if not self.available:
            return
        self.icon = QSystemTrayIcon(self._icon(None), window)
        self.icon.setToolTip("Plugin Monitor")
        menu = QMenu(window)
        menu.addAction(tr("Show or hide the window"), toggle_window)
        self.monitoring_action = menu.addAction(tr("Start or stop monitoring"), toggle_monitoring)
        menu.addSeparator()
        menu.addAction(tr("Quit"), quit_app)
        self.icon.setContextMenu(menu)
        self.icon.activated.connect(
            lambda reason: (
                toggle_window() if reason == QSystemTrayIcon.ActivationReason.Trigger else None
            )
        )
        self.icon.messageClicked.connect(
            lambda: open_alert(self.last_alert) if self.last_alert is not None else None
        )
        self.icon.show()

    def set_worst(self, level: AlertLevel | None, summary: str = "") -> None:
        """The icon in the worst open level's colour; the tooltip says what is open."""
        if self.icon is not None:
            if level != self.badge:
                self.icon.setIcon(self._icon(level))
                self.badge = level
            where = f"{self.monitor_name} — " if self.monitor_name else ""
            self.icon.setToolTip("Plugin Monitor — " + where + (summary or tr("all plugins ok")))

    def _icon(self, level: AlertLevel | None) -> QIcon:
        if level not in self._icons:
            self._icons[level] = tray_icon(level)
        return self._icons[level]

    def notify(self, event: AlertEvent) -> None:
        """Alerts from the configured level up; their recoveries only when
        `console.tray_recoveries` is on, titled as recoveries."""
        if not (self.messages and event.notify and event.alert.level >= self.level):
            return
        if event.is_recovery and not self.recoveries:
            return
        assert self.icon is not None
        if event.is_recovery:
            title = tr("Resolved: {plugin}").format(plugin=event.alert.plugin_key)
            icon = QSystemTrayIcon.MessageIcon.Information
        else:
            title = f"{tr(event.alert.level.label).upper()}: {event.alert.plugin_key}"
            icon = (
                QSystemTrayIcon.MessageIcon.Critical
                if event.alert.level >= AlertLevel.ERROR
                else QSystemTrayIcon.MessageIcon.Warning
            )
        if self.monitor_name:
            title += f" — {self.monitor_name}"
        self.icon.showMessage(title, alert_text(event.alert), icon, 10_000)
        self.last_alert = event.alert.id
        self.sent.append(title)
