"""Plugins: a sortable, filterable table updated in place, and a detail pane
whose history is loaded off the UI thread."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.models.levels import AlertLevel
from desktop_app.models.metrics import Display
from desktop_app.models.plugins import PluginInfo, PluginSource
from desktop_app.models.samples import Sample
from desktop_app.models.supervision import PluginStatus
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.models.units import NO_VALUE
from desktop_app.views.charts import LiveChart, show_rule_lines
from desktop_app.views.plugin_actions import PluginActions
from desktop_app.views.plugin_states import state_text
from desktop_app.views.style import DISABLED_COLOUR, LEVEL_COLOURS
from desktop_app.views.table_model import ColumnsModel, Index
from desktop_app.views.tasks import run_in_background
from desktop_app.views.time_range import TimeRange, TimeRangeChoice

if TYPE_CHECKING:
    from desktop_app.views.sources import Plugins, SampleHistory, ShownMonitor, Thresholds


def tr(text: str) -> str:
    return QCoreApplication.translate("Plugins", text)


COLUMNS = [
    "Plugin",
    "Name",
    "State",
    "CPU %",
    "Memory %",
    "Response s",
    "Error %",
    "Last seen",
    "Process",
    "Host",
]


class PluginTableModel(ColumnsModel):
    columns = tuple(COLUMNS)
    context = "Plugins"

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[str] = []
        self._info: dict[str, PluginInfo] = {}
        self._latest: dict[str, Sample] = {}
        self._worst: dict[str, AlertLevel] = {}
        self._processes: dict[str, PluginStatus] = {}
        self._unshown: set[str] = set()  # rows with a sample newer than drawn

    def row_total(self) -> int:
        return len(self._keys)

    def key_at(self, row: int) -> str:
        return self._keys[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        key = self._keys[index.row()]
        info = self._info[key]
        sample = self._latest.get(key)
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            from PySide6.QtGui import QColor

            return QColor(LEVEL_COLOURS[self._worst.get(key)] if info.enabled else DISABLED_COLOUR)
        sort = role == Qt.ItemDataRole.UserRole
        if role != Qt.ItemDataRole.DisplayRole and not sort:
            return None
        values: list[Any] = [
            info.key,
            info.name,
            tr("disabled")
            if not info.enabled
            else tr(self._worst[key].label if key in self._worst else "ok"),
            sample.cpu_percent if sample else None,
            sample.memory_percent if sample else None,
            sample.response_time if sample else None,
            sample.error_rate if sample else None,
            info.last_seen,
            self._process_text(key),
            info.host or tr("this machine"),
        ]
        value = values[column]
        if sort:
            return -1.0 if value is None else value
        if value is None:
            return NO_VALUE
        if column == 7:
            return time.strftime("%H:%M:%S", time.localtime(value))
        if isinstance(value, float):
            return f"{value:.2f}" if column == 5 else f"{value:.1f}"
        return value

    def _process_text(self, key: str) -> str | None:
        status = self._processes.get(key)
        if status is None:
            return None
        pid = f" (pid {status.pid})" if status.pid else ""
        return f"{state_text(status.state.value)}{pid}"

    def process(self, key: str) -> PluginStatus | None:
        return self._processes.get(key)

    def refresh_plugins(self, plugins: list[PluginInfo]) -> None:
        """New plugin information, alert states unchanged."""
        self.set_plugins(plugins, self._worst, self._processes)

    def knows(self, key: str) -> bool:
        return key in self._info

    def set_plugins(
        self,
        plugins: list[PluginInfo],
        worst: dict[str, AlertLevel],
        processes: Mapping[str, PluginStatus],
    ) -> None:
        """Insert new plugins; announce only the rows whose state changed."""
        previous, previous_processes = self._worst, self._processes
        self._worst, self._processes = worst, dict(processes)
        for info in plugins:
            if info.key not in self._info:
                row = len(self._keys)
                self.beginInsertRows(QModelIndex(), row, row)
                self._keys.append(info.key)
                self._info[info.key] = info
                self.endInsertRows()
            elif (
                info != self._info[info.key]
                or previous.get(info.key) != worst.get(info.key)
                or previous_processes.get(info.key) != processes.get(info.key)
            ):
                self._info[info.key] = info
                self._changed(info.key)

    def show_samples(self, samples: list[Sample]) -> None:
        """Kept at once; the rows are redrawn by `flush` once a second (a
        plugin's first sample at once)."""
        for sample in samples:
            if sample.plugin_key in self._info:
                if sample.plugin_key not in self._latest:
                    self._latest[sample.plugin_key] = sample
                    self._changed(sample.plugin_key)
                self._latest[sample.plugin_key] = sample
                self._unshown.add(sample.plugin_key)

    def flush(self) -> None:
        unshown, self._unshown = self._unshown, set()
        for key in unshown:
            self._changed(key)

    def _changed(self, key: str) -> None:
        row = self._keys.index(key)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))


def _problem_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {LEVEL_COLOURS[AlertLevel.ERROR]};")
    label.hide()
    return label


class PluginsPage(QWidget):
    status_message = Signal(str)
    changed = Signal()  # a control action changed a plugin: refresh the states

    def __init__(self) -> None:
        super().__init__()
        # Given by attach() once the monitor runs.
        self.registry: Plugins | None = None
        self.samples: SampleHistory | None = None
        self._detail_wanted: tuple[str, TimeRange, float] | None = None  # the newest asked for
        self.thresholds: Thresholds | None = None
        self.model = PluginTableModel()
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(f"<h2>{tr('Plugins')}</h2>"))
        top.addStretch(1)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Filter plugins…"))
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.register_button = QPushButton(tr("Register…"))
        self.register_button.clicked.connect(self._register)
        top.addWidget(self.search)
        top.addWidget(self.register_button)
        layout.addLayout(top)
        self.control_row = PluginActions()
        self.control_row.status_message.connect(self.status_message)
        self.control_row.changed.connect(self.changed)
        layout.addWidget(self.control_row)
        self.invalid = _problem_label()
        layout.addWidget(self.invalid)
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = self._build_table()
        splitter.addWidget(self.table)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        bar = QHBoxLayout()
        self.detail_title = QLabel(tr("Select a plugin to see its history"))
        self.window_choice = TimeRangeChoice()
        self.window_choice.changed.connect(self._load_detail)
        bar.addWidget(self.detail_title, 1)
        bar.addWidget(self.window_choice)
        detail_layout.addLayout(bar)
        charts = QHBoxLayout()
        self.detail_charts = {
            "cpu_percent": LiveChart(tr("CPU"), "#3b82f6", y_range=None),
            "memory_percent": LiveChart(tr("Memory"), "#9b59b6", y_range=None),
            "response_time": LiveChart(
                tr("Response time"), "#e5a000", display=Display.SECONDS, unit="s", y_range=None
            ),
        }
        for chart in self.detail_charts.values():
            charts.addWidget(chart)
        detail_layout.addLayout(charts)
        splitter.addWidget(detail)
        splitter.setSizes([300, 260])
        layout.addWidget(splitter, 1)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        return table

    def attach(self, monitor: ShownMonitor, logs_dir: Path | None) -> None:
        """`logs_dir`: the plugins' log files, on the monitor's own machine
        (None for a remote monitor: its logs are on its machine)."""
        self.registry, self.samples = monitor.registry, monitor.samples
        self.thresholds = monitor.thresholds
        self.control_row.attach(monitor.plugins, logs_dir)
        self.update_actions()

    def _selected(self) -> None:
        self.update_actions()
        self._load_detail()

    def update_actions(self) -> None:
        key = self.selected_key()
        info = self.registry.get(key) if key and self.registry else None
        self.control_row.offer(key, self.model.process(key) if key else None, info)

    def show_invalid(self, invalid: Mapping[str, str]) -> None:
        """Plugin folders skipped for their manifest, each with its reason."""
        self.invalid.setVisible(bool(invalid))
        self.invalid.setText(
            "<br>".join(
                tr("Invalid manifest, not started: {reason}").format(reason=reason)
                for reason in invalid.values()
            )
        )

    def selected_key(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.key_at(self.proxy.mapToSource(rows[0]).row())

    def _register(self) -> None:
        if self.registry is None:
            return
        key, ok = QInputDialog.getText(self, tr("Register a plugin"), tr("Plugin id:"))
        if not ok or not key.strip():
            return
        name, ok = QInputDialog.getText(self, tr("Register a plugin"), tr("Name:"), text=key)
        if ok:
            self.register(key.strip(), name.strip() or key.strip())

    def register(self, key: str, name: str) -> None:
        """Register off the UI thread; a refused id is shown, not raised."""
        registry = self.registry
        if registry is None:
            return

        def done(_info: object) -> None:
            self.model.refresh_plugins(registry.all())
            self.status_message.emit(tr("Plugin {key} registered").format(key=key))

        run_in_background(
            lambda: registry.register(key, name, PluginSource.API, actor="console"),
            done,
            self.status_message.emit,
            owner=self,
        )

    def _load_detail(self) -> None:
        key, queries = self.selected_key(), self.samples
        if key is None or self.registry is None or queries is None:
            return
        info = self.registry.get(key)
        if info is None:
            return
        chosen = self.window_choice.chosen()
        since, until = chosen.bounds()
        self.detail_title.setText(f"<b>{info.name}</b> — {self.window_choice.label()}")
        wanted = self._detail_wanted = (key, chosen, until)

        thresholds = self.thresholds

        def load() -> tuple[list[Sample], ThresholdValues | None]:
            lines = thresholds.effective(info.key) if thresholds is not None else None
            return queries.window(info.id, info.key, since, until), lines

        def show(found: tuple[list[Sample], ThresholdValues | None]) -> None:
            if wanted != self._detail_wanted:
                return  # the operator chose another plugin or range meanwhile
            samples, lines = found
            if lines is not None:
                show_rule_lines(self.detail_charts, lines)  # this plugin's own lines
            for name, chart in self.detail_charts.items():
                chart.window, chart.until, chart.zoomed = chosen.seconds, until, False
                points = [(s.ts, getattr(s, name)) for s in samples if getattr(s, name) is not None]
                chart.set_series([p[0] for p in points], [p[1] for p in points])

        run_in_background(load, show, owner=self)
