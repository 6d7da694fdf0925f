"""The alert centre's table: one row per alert, coloured by level (a
resolved one in the colour of health), its marks (silenced, flapping,
back-filled) in the status column, sortable by level, time and count.

New alerts come in at the top while the console runs for weeks; the table
keeps the newest `MAX_ROWS` and lets the oldest go, which "Load more" reads
again from the database. The counts shown elsewhere come from the database,
so they stay true."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt

from desktop_app.models.alerts import Alert
from desktop_app.models.silences import Silence
from desktop_app.services.alerts.wording import rule_name
from desktop_app.views.alert_text import alert_text, console_language
from desktop_app.views.style import dot_icon, level_colour
from desktop_app.views.table_model import ColumnsModel, Index

COLUMNS = ["Level", "Plugin", "Rule", "Message", "Status", "Started", "Count"]
SORT_ROLE = Qt.ItemDataRole.UserRole
MAX_ROWS = 1000  # five of the alert centre's pages


def tr(text: str) -> str:
    return QCoreApplication.translate("Alerts", text)


class AlertTableModel(ColumnsModel):
    columns = tuple(COLUMNS)
    context = "Alerts"

    def __init__(self) -> None:
        super().__init__()
        self.alerts: list[Alert] = []
        # The silences in force, as the silences panel last read them.
        self.silences: list[Silence] = []

    def row_total(self) -> int:
        return len(self.alerts)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        alert = self.alerts[index.row()]
        column = index.column()
        # A resolved alert is shown in the colour of health, its level kept as text.
        colour = level_colour(alert.level if alert.is_open else None)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return dot_icon(colour, 16)
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return colour
        if role == Qt.ItemDataRole.ToolTipRole:
            return alert_text(alert)
        if role == SORT_ROLE:  # levels by severity, times and counts as numbers
            return [
                int(alert.level),
                alert.plugin_key,
                alert.rule,
                alert_text(alert),
                alert.status.value,
                alert.started_at,
                alert.occurrences,
            ][column]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return [
            tr(alert.level.label),
            alert.plugin_key,
            rule_name(alert.rule, console_language()),
            alert_text(alert),
            self.status_text(alert),
            time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(alert.started_at)),
            alert.occurrences,
        ][column]

    def status_text(self, alert: Alert) -> str:
        marks = [tr(alert.status.value)]
        now = time.time()
        if alert.is_open and any(s.matches(alert, now) for s in self.silences):
            marks.append(tr("silenced"))
        if alert.flapping:
            marks.append(tr("flapping"))
        if alert.historical:
            marks.append(tr("back-filled history"))
        return " · ".join(marks)

    def set_silences(self, silences: list[Silence]) -> None:
        self.silences = silences
        if self.alerts:
            self.dataChanged.emit(self.index(0, 4), self.index(len(self.alerts) - 1, 4))

    def replace_all(self, alerts: list[Alert]) -> None:
        self.beginResetModel()
        self.alerts = list(alerts)
        self.endResetModel()

    def append(self, alerts: list[Alert]) -> None:
        if not alerts:
            return
        start = len(self.alerts)
        self.beginInsertRows(QModelIndex(), start, start + len(alerts) - 1)
        self.alerts.extend(alerts)
        self.endInsertRows()

    def upsert(self, alert: Alert, visible: bool) -> None:
        for row, existing in enumerate(self.alerts):
            if existing.id == alert.id:
                if visible:
                    self.alerts[row] = alert
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                else:
                    self.beginRemoveRows(QModelIndex(), row, row)
                    del self.alerts[row]
                    self.endRemoveRows()
                return
        if visible:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self.alerts.insert(0, alert)
            self.endInsertRows()
        if len(self.alerts) > MAX_ROWS:
            self.beginRemoveRows(QModelIndex(), MAX_ROWS, len(self.alerts) - 1)
            del self.alerts[MAX_ROWS:]
            self.endRemoveRows()
