"""In-app toasts: stacked in the window's top-right corner, dismissed after a
few seconds; clicking one opens the alert in the notification centre."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QVBoxLayout, QWidget

from desktop_app.models.alerts import AlertEvent
from desktop_app.views.alert_text import alert_text
from desktop_app.views.style import level_colour

SHOW_MS = 7000
MAX_TOASTS = 4


def tr(text: str) -> str:
    return QCoreApplication.translate("Toasts", text)


class Toast(QFrame):
    clicked = Signal(int)
    closed = Signal()

    def __init__(self, event: AlertEvent, parent: QWidget) -> None:
        super().__init__(parent)
        self.alert_id = event.alert.id
        # Good news is green and says so; it never wears the raise level.
        colour = level_colour(None if event.improves else event.alert.level).name()
        app = QApplication.instance()
        dark = bool(app is not None and app.property("dark_theme"))
        background = "#2a2e35" if dark else "#ffffff"
        self.setObjectName("toast")
        self.setStyleSheet(
            f"#toast {{ background: {background}; border: 1px solid {colour}; "
            f"border-left: 6px solid {colour}; border-radius: 6px; }}"
        )
        self.setFixedWidth(340)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.title = QLabel(
            f"<b style='color:{colour}'>✔ {tr('Resolved')}</b> &nbsp;{event.alert.plugin_key}"
            if event.is_recovery
            else f"<b style='color:{colour}'>{tr(event.alert.level.label).upper()}</b> "
            f"&nbsp;{event.alert.plugin_key} · {tr(event.kind.value)}"
        )
        message = QLabel(alert_text(event.alert))
        message.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(message)
        self.adjustSize()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit(self.alert_id)
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        self.deleteLater()
        super().closeEvent(event)


class ToastManager:
    def __init__(self, host: QWidget, on_click: Callable[[int], None]) -> None:
        self._host = host
        self._on_click = on_click
        self.toasts: list[Toast] = []

    def show(self, event: AlertEvent) -> None:
        toast = Toast(event, self._host)
        toast.clicked.connect(self._on_click)
        toast.closed.connect(lambda: self._forget(toast))
        self.toasts.append(toast)
        while len(self.toasts) > MAX_TOASTS:
            self.toasts.pop(0).close()
        toast.show()
        toast.raise_()
        QTimer.singleShot(SHOW_MS, toast.close)
        self.place()

    def _forget(self, toast: Toast) -> None:
        if toast in self.toasts:
            self.toasts.remove(toast)
        self.place()

    def place(self) -> None:
        """Bottom-right, newest lowest, above the status bar."""
        y = self._host.height() - 40
        for toast in reversed(self.toasts):
            y -= toast.height()
            toast.move(self._host.width() - toast.width() - 16, y)
            y -= 8
