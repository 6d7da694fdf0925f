"""In-app toasts, stacked at the window's right edge from below the pages'
headers and controls (`TOP`) down, at most `MAX_SHOWN` with the rest
collapsed to "+3 more", so they never cover a page's buttons: those sit in
the header row or at the bottom. A critical alert's
toast stays until it is dismissed or acknowledged; the others go after
`SHOW_MS`. Each one opens its alert in the notification centre.

An alert has one toast, telling its latest state: its later event replaces
it, so a critical toast never offers to acknowledge an alert that has
resolved or been acknowledged. A critical alert that resolves by itself
leaves its "Resolved" toast standing, so that what happened while the
operator was away is still seen. Widgets are kept for the newest
`MAX_KEPT`; older hidden ones are counted, not kept, so a weekend of alerts
costs the console no more than an hour's, and "+N more" still counts them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.models.alerts import AlertEvent, AlertStatus
from desktop_app.models.levels import AlertLevel
from desktop_app.views.alert_text import alert_text
from desktop_app.views.style import level_colour

SHOW_MS = 7000
MAX_SHOWN = 3
MAX_KEPT = 20  # toast widgets; the hidden ones beyond are only counted
WIDTH = 300
TOP = 100  # below every page's title and control rows


def tr(text: str) -> str:
    return QCoreApplication.translate("Toasts", text)


def stays(event: AlertEvent) -> bool:
    """A critical alert is not allowed to slip by unseen."""
    return event.alert.level is AlertLevel.CRITICAL and not event.improves


class Toast(QFrame):
    opened = Signal(int)
    acknowledged = Signal(int)
    dismissed = Signal()

    def __init__(self, event: AlertEvent, *, stay: bool = False) -> None:
        super().__init__()
        self.alert_id = event.alert.id
        self.sticky = stay or stays(event)
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
        self.setFixedWidth(WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.title = QLabel(
            f"<b style='color:{colour}'>✔ {tr('Resolved')}</b> &nbsp;{event.alert.plugin_key}"
            if event.is_recovery
            else f"<b style='color:{colour}'>{tr(event.alert.level.label).upper()}</b> "
            f"&nbsp;{event.alert.plugin_key} · {tr(event.kind.value)}"
        )
        self.message = QLabel(alert_text(event.alert))
        self.message.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addLayout(self._buttons(event))

    def _buttons(self, event: AlertEvent) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        self.open_button = QPushButton(tr("Open"))
        self.open_button.clicked.connect(lambda: self.opened.emit(self.alert_id))
        row.addWidget(self.open_button)
        self.ack_button: QPushButton | None = None
        if self.sticky and event.alert.is_open:
            self.ack_button = QPushButton(tr("Acknowledge"))
            self.ack_button.clicked.connect(lambda: self.acknowledged.emit(self.alert_id))
            row.addWidget(self.ack_button)
        self.dismiss_button = QPushButton(tr("Dismiss"))
        self.dismiss_button.clicked.connect(self.dismissed.emit)
        row.addWidget(self.dismiss_button)
        return row

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.opened.emit(self.alert_id)


class ToastStrip(QWidget):
    """The column of toasts, floating over the window; hidden when empty."""

    def __init__(
        self,
        host: QWidget,
        on_open: Callable[[int], None],
        on_acknowledge: Callable[[int], None],
    ) -> None:
        super().__init__(host)
        self._host = host
        self._on_open, self._on_acknowledge = on_open, on_acknowledge
        self.setFixedWidth(WIDTH)
        self.toasts: list[Toast] = []  # newest last; the first MAX_SHOWN-from-the-end show
        self.dropped = 0  # hidden toasts beyond MAX_KEPT: counted in "+N more", not kept
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self.more = QPushButton()
        self.more.setFlat(True)
        self.more.clicked.connect(self._show_all)
        self._column.addWidget(self.more)
        self.hide()
        self._place()

    def on_event(self, event: AlertEvent) -> None:
        """Replace the alert's toast when its state moved on; show the event
        if it notifies."""
        earlier = [toast for toast in self.toasts if toast.alert_id == event.alert.id]
        moved_on = event.notify or event.alert.status is not AlertStatus.ACTIVE
        if moved_on:
            for toast in earlier:
                self.dismiss(toast)
        if event.notify:
            # A critical alert that resolved while its toast stood: still seen.
            self.show_event(event, stay=event.is_recovery and any(t.sticky for t in earlier))

    def show_event(self, event: AlertEvent, *, stay: bool = False) -> None:
        toast = Toast(event, stay=stay)
        toast.opened.connect(lambda alert_id: self._open(toast, alert_id))
        toast.acknowledged.connect(lambda alert_id: self._acknowledge(toast, alert_id))
        toast.dismissed.connect(lambda: self.dismiss(toast))
        self.toasts.append(toast)
        self._column.insertWidget(0, toast)  # newest at the top
        if not toast.sticky:
            # Owned by the toast: the timer goes with it (dismissed, or the window closed).
            QTimer.singleShot(SHOW_MS, toast, lambda: self.dismiss(toast))
        for oldest in self.toasts[: max(0, len(self.toasts) - MAX_KEPT)]:
            self.dismiss(oldest)
            self.dropped += 1
        self._place()

    def dismiss(self, toast: Toast) -> None:
        if any(kept is toast for kept in self.toasts):
            self.toasts = [kept for kept in self.toasts if kept is not toast]
            toast.hide()
            toast.deleteLater()
            self._place()

    @property
    def hidden_count(self) -> int:
        return max(0, len(self.toasts) - MAX_SHOWN) + self.dropped

    def _place(self) -> None:
        if not self.toasts:
            self.dropped = 0  # every kept one was seen; the rest are in the notification centre
        shown = self.toasts[-MAX_SHOWN:]
        for toast in self.toasts:
            toast.setVisible(any(toast is one for one in shown))
        self.more.setText(tr("+{count} more").format(count=self.hidden_count))
        self.more.setVisible(self.hidden_count > 0)
        self.setVisible(bool(self.toasts))
        self.place()

    def place(self) -> None:
        """Top right, under the pages' headers; raised over the page."""
        if not self.toasts:
            return
        self.adjustSize()
        self.move(self._host.width() - self.width() - 12, TOP)
        self.raise_()

    def _show_all(self) -> None:
        """The notification centre lists everything the hidden toasts said."""
        if self.toasts:
            self._on_open(self.toasts[0].alert_id)
        self.dropped = 0
        for toast in list(self.toasts[:-MAX_SHOWN]):
            self.dismiss(toast)
        self._place()  # "+N more" goes, with the dropped ones

    def _open(self, toast: Toast, alert_id: int) -> None:
        self.dismiss(toast)
        self._on_open(alert_id)

    def _acknowledge(self, toast: Toast, alert_id: int) -> None:
        self.dismiss(toast)
        self._on_acknowledge(alert_id)
