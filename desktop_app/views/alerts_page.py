"""The notification centre (R8, R9, R10): open alerts and history with
filters, search and sorting; select alerts to see their timeline and to
resolve (undoable), acknowledge or silence them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QPoint, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.models.alerts import Alert, AlertEvent, AlertFilter, AlertStatus
from desktop_app.models.levels import AlertLevel
from desktop_app.views.alert_actions import AlertActions
from desktop_app.views.alert_detail import AlertDetail
from desktop_app.views.alert_table import SORT_ROLE, AlertTableModel
from desktop_app.views.empty_state import EmptyState, follow_command
from desktop_app.views.silences_panel import SilencesPanel
from desktop_app.views.style import dot_icon, level_colour
from desktop_app.views.tasks import NewestOnly, run_in_background

if TYPE_CHECKING:
    from desktop_app.views.sources import (
        AlertChanges,
        AlertHistory,
        Plugins,
        SampleHistory,
        Silences,
    )

PAGE = 200


def tr(text: str) -> str:
    return QCoreApplication.translate("Alerts", text)


class AlertsPage(QWidget):
    unread_changed = Signal(int)
    status_message = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._reads = NewestOnly(self)  # a filter's reads: the newest answer shown
        # Given by attach() once the monitor runs: the alert history and the engine.
        self.queries: AlertHistory | None = None
        self.engine: AlertChanges | None = None
        self.silences: Silences | None = None
        self.unread = 0
        self.follow = ""  # the command that follows alerts in a terminal
        self._wanted: int | None = None  # an alert to select once the list has loaded
        self.alert_actions = AlertActions(self, self.selected_alerts)
        self.alert_actions.status_message.connect(self.status_message)
        self.model = AlertTableModel()
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSortRole(SORT_ROLE)
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
        layout.addWidget(self._table_and_detail(), 1)
        layout.addWidget(self.alert_actions.undo_bar)
        layout.addLayout(self._action_buttons())
        self.silences_panel = SilencesPanel()
        self.silences_panel.changed.connect(self.model.set_silences)
        self.silences_panel.status_message.connect(self.status_message)
        layout.addWidget(self.silences_panel)

    def _table_and_detail(self) -> QSplitter:
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detail = AlertDetail()
        self.empty = EmptyState(tr("No open alerts"), "")
        self.table_or_empty = QStackedWidget()
        self.table_or_empty.addWidget(self.table)
        self.table_or_empty.addWidget(self.empty)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table_or_empty)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        return splitter

    def _action_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.hint = QLabel(tr("Select alerts, then act on them (right-click for the menu)."))
        self.resolve_button = QPushButton(tr("Resolve"))
        self.ack_button = QPushButton(tr("Acknowledge…"))
        self.silence_button = QPushButton(tr("Silence…"))
        self.more_button = QPushButton(tr("Load more"))
        for button, action in (
            (self.resolve_button, self.alert_actions.resolve_action),
            (self.ack_button, self.alert_actions.ack_action),
            (self.silence_button, self.alert_actions.silence_action),
        ):
            button.clicked.connect(action.trigger)
            button.setToolTip(action.toolTip())
            action.enabledChanged.connect(button.setEnabled)
        self.alert_actions.set_enabled([])
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

    def attach(
        self,
        queries: AlertHistory,
        engine: AlertChanges,
        silences: Silences,
        history: tuple[Plugins, SampleHistory],
    ) -> None:
        self.queries, self.engine, self.silences = queries, engine, silences
        self.silences_panel.attach(silences)
        self.alert_actions.attach(engine, silences)
        self.alert_actions.silenced.connect(lambda _made: self.silences_panel.reload())
        self.detail.attach(queries, *history)

    def reload(self) -> None:
        if self.queries is None:
            return
        queries, filters = self.queries, self.filters()
        self._reads.run(lambda: queries.page(filters, limit=PAGE), self._loaded)

    def empty_commands(self, data_dir: Path) -> None:
        self.follow = follow_command(data_dir)
        self._show_empty()

    def _show_empty(self) -> None:
        """No row: say why (all is well, or the filters hide everything)."""
        if self.model.rowCount():
            self.table_or_empty.setCurrentWidget(self.table)
            return
        plain = self.filters() in (AlertFilter(), AlertFilter(open_only=True))
        if plain:
            self.empty.title.setText(f"<b>{tr('No open alerts')}</b>")
            self.empty.text.setText(
                tr(
                    "Every plugin is within its lines. An alert is raised when a plugin "
                    "crosses a line set on the Settings page, and is shown here, as a "
                    "toast and in the tray. To follow alerts in a terminal:"
                )
            )
        else:
            self.empty.title.setText(f"<b>{tr('No alert matches these filters')}</b>")
            self.empty.text.setText(tr("Choose All to see resolved alerts too."))
        self.empty.set_commands(self.follow if plain else "")
        self.table_or_empty.setCurrentWidget(self.empty)

    def _loaded(self, alerts: list[Alert]) -> None:
        self.model.replace_all(alerts)
        self._show_empty()
        wanted, self._wanted = self._wanted, None
        if wanted is not None:
            self.select_alert(wanted)

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
        self._show_empty()
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

    # -- selection ------------------------------------------------------------

    def selected_alerts(self) -> list[Alert]:
        rows = self.table.selectionModel().selectedRows()
        return [self.model.alerts[self.proxy.mapToSource(row).row()] for row in rows]

    def select_alert(self, alert_id: int) -> None:
        """Select it; one the filters hide (a resolved alert) is looked for in all."""
        for row, alert in enumerate(self.model.alerts):
            if alert.id == alert_id:
                self.table.clearSelection()
                self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
                return
        if self._wanted is None:
            self._wanted = alert_id
            for combo, index in ((self.plugin, 0), (self.level, 0), (self.status, 1)):
                combo.blockSignals(True)  # one reload below, not one per filter
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
            self.search.clear()
            self.reload()

    def _selection_changed(self) -> None:
        chosen = self.selected_alerts()
        self.alert_actions.set_enabled(chosen)
        self.detail.show_alert(chosen[0] if len(chosen) == 1 else None)

    def _context_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        for action in (self.alert_actions.resolve_action, self.alert_actions.ack_action):
            menu.addAction(action)
        menu.addAction(self.alert_actions.silence_action)
        menu.exec(self.table.viewport().mapToGlobal(position))
