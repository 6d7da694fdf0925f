"""The silences in force and to come, under the alert list: what each one
matches, when it ends (counting down each second), why and who made it, and
"End now". Read again every few seconds, so one made by the command line or
the API shows up here too; the alert list marks its alerts from this list."""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop_app.models.silences import Silence
from desktop_app.models.timestamps import local_minute
from desktop_app.services.alerts.wording import duration, level_name, rule_name
from desktop_app.views.alert_text import console_language
from desktop_app.views.operator import console_actor
from desktop_app.views.table_model import row_table
from desktop_app.views.tasks import NewestOnly, run_in_background

if TYPE_CHECKING:
    from desktop_app.views.sources import Silences

COLUMNS = ["Matches", "Ends in", "Until", "Why", "By"]
TICK_MS = 1000


def tr(text: str) -> str:
    return QCoreApplication.translate("Silences", text)


def _span(seconds: float) -> str:
    return duration(seconds, console_language())


def matchers(silence: Silence) -> str:
    parts = [
        silence.plugin_key or tr("every plugin"),
        rule_name(silence.rule, console_language()) if silence.rule else tr("every rule"),
    ]
    if silence.level is not None:
        level = level_name(silence.level, console_language())
        parts.append(tr("{level} and below").format(level=level))
    return " · ".join(parts)


def remaining(silence: Silence, now: float) -> str:
    if silence.starts_at > now:
        return tr("starts in {span}").format(span=_span(silence.starts_at - now))
    return _span(silence.ends_at - now)


class SilencesPanel(QGroupBox):
    """Silences now; `changed` carries the list whenever it changes."""

    changed = Signal(list)
    status_message = Signal(str)

    def __init__(self) -> None:
        super().__init__(tr("Silences"))
        self._reads = NewestOnly(self)  # the newest list's answer shown
        self.service: Silences | None = None
        self.refresh_seconds = math.inf  # the service's own, once attached
        self.silences: list[Silence] = []
        self._read_at = 0.0
        self.table = row_table([tr(c) for c in COLUMNS])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel(tr("No silences: every alert is notified."))
        self.end_button = QPushButton(tr("End now"))
        self.end_button.clicked.connect(self._end_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        self.table.setMaximumHeight(130)
        row = QHBoxLayout()
        row.addWidget(self.empty)
        row.addStretch(1)
        row.addWidget(self.end_button)
        layout.addLayout(row)
        self._show([])
        self.ticker = QTimer(self)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start(TICK_MS)

    def attach(self, service: Silences) -> None:
        from desktop_app.services.alerts.silences import REFRESH_SECONDS  # off the start path

        self.refresh_seconds = REFRESH_SECONDS
        self.service = service
        self.reload()

    def reload(self) -> None:
        service = self.service
        if service is None:
            return
        self._read_at = time.monotonic()
        self._reads.run(service.current, self._show, self.status_message.emit)

    def _show(self, silences: list[Silence]) -> None:
        now = time.time()
        self.silences = [s for s in silences if s.ends_at > now]
        self.table.setRowCount(len(self.silences))
        for row, silence in enumerate(self.silences):
            until = local_minute(silence.ends_at)
            cells = [matchers(silence), remaining(silence, now), until, silence.comment]
            for column, text in enumerate([*cells, silence.created_by]):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, silence.id)
                self.table.setItem(row, column, item)
        shown = bool(self.silences)
        self.table.setVisible(shown)
        self.end_button.setVisible(shown)
        self.empty.setVisible(not shown)
        self.changed.emit(list(self.silences))

    def _tick(self) -> None:
        """Count down; drop what has ended; read again when due."""
        now = time.time()
        if any(s.ends_at <= now for s in self.silences):
            self._show(self.silences)
        for row, silence in enumerate(self.silences):
            item = self.table.item(row, 1)
            if item is not None:
                item.setText(remaining(silence, now))
        if self.service is not None and time.monotonic() - self._read_at >= self.refresh_seconds:
            self.reload()

    def _end_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        service = self.service
        if not rows or service is None:
            return
        silence = self.silences[rows[0].row()]
        run_in_background(
            lambda: service.remove(silence.id, console_actor()),
            self._ended,
            self.status_message.emit,
            owner=self,
        )

    def _ended(self, ended: Silence) -> None:
        self.status_message.emit(tr("Silence of {what} ended").format(what=matchers(ended)))
        self.reload()
