"""The notification centre (R8, R9, R10): open alerts and history with
filters and search; clicking an open alert resolves it."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.models.alerts import Alert, AlertEvent, AlertStatus
from desktop_app.models.levels import AlertLevel
from desktop_app.models.silences import Silence
from desktop_app.services.alerts.engine import AlertEngine
from desktop_app.services.alerts.silences import SilenceService
from desktop_app.services.alerts.wording import rule_name
from desktop_app.services.storage.alerts import AlertFilter, AlertQueries
from desktop_app.views.alert_text import alert_text, console_language
from desktop_app.views.operator import console_actor
from desktop_app.views.silence_dialog import SilenceDialog, SilenceRequest
from desktop_app.views.silences_panel import SilencesPanel
from desktop_app.views.style import dot_icon, level_colour
from desktop_app.views.table_model import ColumnsModel, Index
from desktop_app.views.tasks import run_in_background

PAGE = 200
COLUMNS = ["Level", "Plugin", "Rule", "Message", "Status", "Started", "Count"]


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


class AlertsPage(QWidget):
    unread_changed = Signal(int)
    status_message = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        # Given by attach() once the monitor runs: the alert history and the engine.
        self.queries: AlertQueries | None = None
        self.engine: AlertEngine | None = None
        self.silences: SilenceService | None = None
        self.unread = 0
        self.model = AlertTableModel()
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(f"<h2>{tr('Alerts')}</h2>"))
        top.addStretch(1)
        self.plugin = QComboBox()
        self.plugin.addItem(tr("All plugins"), None)
        self.level = QComboBox()
        self.level.addItem(tr("All levels"), None)
        for level in AlertLevel:
            self.level.addItem(dot_icon(level_colour(level), 16), tr(level.label), level)
        self.status = QComboBox()
        self.status.addItem(tr("Open"), "open")
        self.status.addItem(tr("All"), "all")
        self.status.addItem(tr("Resolved"), "resolved")
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search alerts…"))
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        for combo in (self.plugin, self.level, self.status):
            combo.currentIndexChanged.connect(lambda *_: self.reload())
            top.addWidget(combo)
        top.addWidget(self.search)
        layout.addLayout(top)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._clicked)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._action_buttons())
        self.silences_panel = SilencesPanel()
        self.silences_panel.changed.connect(self.model.set_silences)
        self.silences_panel.status_message.connect(self.status_message)
        layout.addWidget(self.silences_panel)

    def _action_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.hint = QLabel(tr("Click an open alert to resolve it."))
        self.resolve_button = QPushButton(tr("Resolve"))
        self.ack_button = QPushButton(tr("Acknowledge…"))
        self.silence_button = QPushButton(tr("Silence…"))
        self.silence_button.clicked.connect(self._silence_selection)
        self.more_button = QPushButton(tr("Load more"))
        self.resolve_button.clicked.connect(lambda: self._act_on_selection("resolve"))
        self.ack_button.clicked.connect(lambda: self._act_on_selection("acknowledge"))
        self.more_button.clicked.connect(self._load_more)
        buttons.addWidget(self.hint, 1)
        for button in (self.more_button, self.silence_button, self.ack_button, self.resolve_button):
            buttons.addWidget(button)
        return buttons

    # -- data -----------------------------------------------------------------

    def filters(self) -> AlertFilter:
        status = self.status.currentData()
        level = self.level.currentData()
        return AlertFilter(
            open_only=status == "open",
            plugin_key=self.plugin.currentData(),
            levels=frozenset({level}) if level is not None else frozenset(),
            statuses=frozenset({AlertStatus.RESOLVED}) if status == "resolved" else frozenset(),
        )

    def matches(self, alert: Alert) -> bool:
        f = self.filters()
        return (
            (not f.open_only or alert.is_open)
            and (f.plugin_key is None or alert.plugin_key == f.plugin_key)
            and (not f.levels or alert.level in f.levels)
            and (not f.statuses or alert.status in f.statuses)
        )

    def attach(self, queries: AlertQueries, engine: AlertEngine, silences: SilenceService) -> None:
        self.queries, self.engine, self.silences = queries, engine, silences
        self.silences_panel.attach(silences)

    def reload(self) -> None:
        if self.queries is None:
            return
        queries, filters = self.queries, self.filters()
        run_in_background(
            lambda: queries.page(filters, limit=PAGE), self.model.replace_all, owner=self
        )

    def _load_more(self) -> None:
        if self.queries is None or not self.model.alerts:
            return
        queries, filters = self.queries, self.filters()
        before = self.model.alerts[-1].id
        run_in_background(
            lambda: queries.page(filters, limit=PAGE, before_id=before),
            self.model.append,
            owner=self,
        )

    def set_plugins(self, keys: list[str]) -> None:
        known = {self.plugin.itemData(i) for i in range(self.plugin.count())}
        for key in keys:
            if key not in known:
                self.plugin.addItem(key, key)

    def on_event(self, event: AlertEvent) -> None:
        self.model.upsert(event.alert, self.matches(event.alert))
        if event.notify and not self.isVisible():
            self.unread += 1
            self.unread_changed.emit(self.unread)

    def mark_read(self) -> None:
        if self.unread:
            self.unread = 0
            self.unread_changed.emit(0)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.mark_read()

    # -- actions --------------------------------------------------------------

    def select_alert(self, alert_id: int) -> None:
        for row, alert in enumerate(self.model.alerts):
            if alert.id == alert_id:
                self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
                return

    def _clicked(self, index: QModelIndex) -> None:
        alert = self.model.alerts[self.proxy.mapToSource(index).row()]
        if alert.is_open:
            self.resolve(alert.id)

    def _act_on_selection(self, action: str) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        alert = self.model.alerts[self.proxy.mapToSource(rows[0]).row()]
        if action == "resolve":
            self.resolve(alert.id)
            return
        comment, ok = QInputDialog.getText(self, tr("Acknowledge"), tr("Comment (optional):"))
        engine = self.engine
        if ok and engine is not None:
            run_in_background(
                lambda: engine.acknowledge(
                    alert.id, actor=console_actor(), comment=comment or None
                ).result(30),
                lambda acked: self.status_message.emit(
                    tr("Alert {id} acknowledged").format(id=acked.id)
                ),
                self.status_message.emit,
                owner=self,
            )

    def _silence_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.silences is None:
            return
        alert = self.model.alerts[self.proxy.mapToSource(rows[0]).row()]
        dialog = SilenceDialog(alert, self)
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
            owner=self,
        )

    def _silenced(self, made: Silence) -> None:
        until = time.strftime("%Y-%m-%d %H:%M", time.localtime(made.ends_at))
        self.status_message.emit(tr("Silenced until {time}").format(time=until))
        self.silences_panel.reload()

    def resolve(self, alert_id: int) -> None:
        engine = self.engine
        if engine is None:
            return
        run_in_background(
            lambda: engine.resolve(alert_id, actor=console_actor()).result(30),
            lambda resolved: self.status_message.emit(
                tr("Alert {id} resolved").format(id=resolved.id)
            ),
            self.status_message.emit,
            owner=self,
        )
