"""What an operator does to the selected alerts: Resolve, Acknowledge… and
Silence…, one set of actions behind the buttons, the context menu and the
shortcuts. Nothing happens on a mere click in the list, and a resolve can
be undone for `UNDO_MS` (a `reopened` event, recorded and streamed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QInputDialog, QLabel, QPushButton, QWidget

from desktop_app.models.alerts import Alert
from desktop_app.models.silences import Silence
from desktop_app.models.timestamps import local_minute
from desktop_app.views.operator import console_actor
from desktop_app.views.silence_dialog import SilenceDialog, SilenceRequest
from desktop_app.views.tasks import run_in_background

if TYPE_CHECKING:
    from desktop_app.views.sources import AlertChanges, Silences

UNDO_MS = 10_000
WAIT_SECONDS = 30


def tr(text: str) -> str:
    return QCoreApplication.translate("Alerts", text)


class UndoBar(QFrame):
    """ "2 alerts resolved. [Undo]", for ten seconds after a resolve."""

    undo = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel()
        self.button = QPushButton(tr("Undo"))
        self.button.clicked.connect(self._undo)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.ids: list[int] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide)
        self.hide()

    def offer(self, ids: list[int]) -> None:
        self.ids = ids
        text = tr("Alert {id} resolved.") if len(ids) == 1 else tr("{count} alerts resolved.")
        self.label.setText(text.format(id=ids[0], count=len(ids)))
        self.show()
        self.timer.start(UNDO_MS)

    def _undo(self) -> None:
        self.timer.stop()
        self.hide()
        self.undo.emit(self.ids)


class AlertActions(QObject):
    status_message = Signal(str)
    silenced = Signal(object)

    def __init__(self, page: QWidget, selected: Callable[[], list[Alert]]) -> None:
        super().__init__(page)
        self.page, self.selected = page, selected
        self.engine: AlertChanges | None = None
        self.silences: Silences | None = None
        self.resolve_action = self._action(tr("Resolve"), "Ctrl+R", self.resolve_selected)
        self.ack_action = self._action(tr("Acknowledge…"), "Ctrl+K", self.acknowledge_selected)
        self.silence_action = self._action(tr("Silence…"), "Ctrl+L", self.silence_selected)
        self.undo_bar = UndoBar()
        self.undo_bar.undo.connect(self.undo)

    def _action(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.page)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{text} ({QKeySequence(keys).toString()})")
        action.triggered.connect(slot)
        self.page.addAction(action)
        return action

    def attach(self, engine: AlertChanges, silences: Silences) -> None:
        self.engine, self.silences = engine, silences

    def set_enabled(self, alerts: list[Alert]) -> None:
        open_ones = any(alert.is_open for alert in alerts)
        for action in (self.resolve_action, self.ack_action):
            action.setEnabled(open_ones)
        self.silence_action.setEnabled(len(alerts) == 1)

    def resolve_selected(self) -> None:
        self.resolve([a.id for a in self.selected() if a.is_open])

    def resolve(self, ids: list[int]) -> None:
        engine = self.engine
        if engine is None or not ids:
            return
        run_in_background(
            lambda: [engine.resolve(i, actor=console_actor()).result(WAIT_SECONDS) for i in ids],
            lambda done: self.undo_bar.offer([alert.id for alert in done]),
            self.status_message.emit,
            owner=self.page,
        )

    def undo(self, ids: list[int]) -> None:
        engine = self.engine
        if engine is None:
            return
        run_in_background(
            lambda: [engine.reopen(i, actor=console_actor()).result(WAIT_SECONDS) for i in ids],
            lambda done: self.status_message.emit(
                tr("Reopened: {ids}").format(ids=", ".join(str(a.id) for a in done))
            ),
            self.status_message.emit,
            owner=self.page,
        )

    def acknowledge_selected(self) -> None:
        ids = [a.id for a in self.selected() if a.is_open]
        if not ids or self.engine is None:
            return
        comment, ok = QInputDialog.getText(self.page, tr("Acknowledge"), tr("Comment (optional):"))
        if ok:
            self.acknowledge(ids, comment or None)

    def acknowledge(self, ids: list[int], comment: str | None) -> None:
        engine = self.engine
        if engine is None:
            return
        run_in_background(
            lambda: [
                engine.acknowledge(i, actor=console_actor(), comment=comment).result(WAIT_SECONDS)
                for i in ids
            ],
            lambda done: self.status_message.emit(
                tr("Acknowledged: {ids}").format(ids=", ".join(str(a.id) for a in done))
            ),
            self.status_message.emit,
            owner=self.page,
        )

    def silence_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or self.silences is None:
            return
        dialog = SilenceDialog(chosen[0], self.page)
        if dialog.exec() == SilenceDialog.DialogCode.Accepted:
            self.silence(dialog.request())

    def silence(self, wanted: SilenceRequest) -> None:
        """Silence in the background; the status bar says until when."""
        silences = self.silences
        if silences is None:
            return
        run_in_background(
            lambda: silences.add(
                plugin_key=wanted.plugin_key,
                rule=wanted.rule,
                level=None,
                starts_at=None,
                ends_at=wanted.ends_at,
                comment=wanted.comment,
                actor=console_actor(),
            ),
            self._silenced,
            self.status_message.emit,
            owner=self.page,
        )

    def _silenced(self, made: Silence) -> None:
        until = local_minute(made.ends_at)
        self.status_message.emit(tr("Silenced until {time}").format(time=until))
        self.silenced.emit(made)
