"""Analytics: one plugin's trend chart with its fitted line and
direction/strength badges, an hour-of-day by weekday heatmap, the summary
table and the threshold forecasts. The report is built off the UI thread."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.models.metrics import CATALOGUE, describe
from desktop_app.models.units import NO_VALUE, scale_of
from desktop_app.views.analytics_charts import Heatmap, TrendChart
from desktop_app.views.compare_dialog import CompareDialog
from desktop_app.views.tasks import run_in_background
from desktop_app.views.time_range import DAY, TimeRange, TimeRangeChoice

if TYPE_CHECKING:
    from desktop_app.models.analytics import AnalyticsReport, ForecastOut
    from desktop_app.views.sources import Analytics, Plugins

ARROWS = {"up": "\u2197", "down": "\u2198", "stable": "\u2192"}
STRENGTH_COLOURS = {"strong": "#c81d25", "moderate": "#e0a100", "weak": "#2b8a3e"}
COLUMNS = ("Metric", "Average", "Minimum", "Maximum", "Current", "Trend")


def tr(text: str) -> str:
    return QCoreApplication.translate("Analytics", text)


TREND_WORDS = ("up", "down", "stable", "strong", "moderate", "weak")
METRIC_LABELS = {metric.wire: metric.label for metric in CATALOGUE}
REFRESH_MS = 60_000


def label(metric: str) -> str:
    return tr(METRIC_LABELS.get(metric, metric))


def duration_text(seconds: float) -> str:
    if seconds < 3600:
        return tr("about {n} min").format(n=max(1, round(seconds / 60)))
    if seconds < 48 * 3600:
        return tr("about {n} h").format(n=round(seconds / 3600))
    return tr("about {n} days").format(n=round(seconds / 86_400))


def forecast_text(forecast: ForecastOut) -> str:
    """The core's forecast in the console's language."""
    title = label(forecast.metric)
    line = f"{forecast.threshold:g} {describe(forecast.metric).unit}".rstrip()
    if not forecast.eta_seconds:
        return tr("{title} is at its line of {line}").format(title=title, line=line)
    return tr("{title} reaches {line} in {duration}").format(
        title=title, line=line, duration=duration_text(forecast.eta_seconds)
    )


class AnalyticsPage(QWidget):
    status_message = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        # Given by attach() once the monitor runs.
        self.registry: Plugins | None = None
        self.service: Analytics | None = None
        self.report: AnalyticsReport | None = None
        self.report_for: tuple[str, TimeRange] | None = None  # (plugin, range) shown
        self._wanted: tuple[str, TimeRange] | None = None
        self.compared_keys: list[str] = []  # other plugins drawn on the trend chart
        layout = QVBoxLayout(self)
        heading = QHBoxLayout()
        heading.addWidget(QLabel(f"<h2>{tr('Analytics')}</h2>"))
        heading.addStretch(1)
        controls = self._controls()
        for button in (self.compare_button, self.refresh_button, self.save_button):
            heading.addWidget(button)
        layout.addLayout(heading)
        layout.addLayout(controls)
        badges = QHBoxLayout()
        self.direction = QLabel()
        self.strength = QLabel()
        self.direction.setStyleSheet("font-size: 18px; font-weight: 600;")
        badges.addWidget(self.direction)
        badges.addWidget(self.strength)
        badges.addStretch(1)
        self.forecast = QLabel()
        self.forecast.setWordWrap(True)
        badges.addWidget(self.forecast, 2)
        layout.addLayout(badges)
        layout.addLayout(self._charts(), 1)
        # While shown, the report follows new samples once a minute.
        self.auto_refresh = QTimer(self)
        self.auto_refresh.timeout.connect(self._refresh_if_shown)
        self.auto_refresh.start(REFRESH_MS)

    def _charts(self) -> QGridLayout:
        """The trend chart above; the summary table and the heatmap below it."""
        grid = QGridLayout()
        self.chart = TrendChart()
        self.heatmap = Heatmap()
        self.heatmap_title = QLabel()
        self.summary = QTableWidget(0, len(COLUMNS))
        self.summary.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        header = self.summary.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.summary.verticalHeader().setVisible(False)
        self.summary.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        grid.addWidget(self.chart, 0, 0, 1, 2)
        grid.addWidget(self.summary, 1, 0)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        heat = QVBoxLayout()
        heat.addWidget(self.heatmap_title)
        heat.addWidget(self.heatmap, 1)
        grid.addLayout(heat, 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        return grid

    def _refresh_if_shown(self) -> None:
        if self.isVisible() and self.refresh_button.isEnabled() and self.report is not None:
            self.load()

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.plugin = QComboBox()
        self.plugin.setMinimumWidth(140)
        self.window_choice = TimeRangeChoice(default_seconds=DAY)
        self.metric_choice = QComboBox()
        self.metric_choice.setMinimumWidth(140)
        self.compare_button = QPushButton(tr("Compare…"))
        self.compare_button.setToolTip(tr("Draw this metric of up to 5 plugins on one chart"))
        self.refresh_button = QPushButton(tr("Refresh"))
        self.save_button = QPushButton(tr("Save chart as PNG…"))
        for label, widget in (
            (tr("Plugin"), self.plugin),
            (tr("Window"), self.window_choice),
            (tr("Metric"), self.metric_choice),
        ):
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addStretch(1)
        self.plugin.currentIndexChanged.connect(lambda *_: self.load())
        self.window_choice.changed.connect(self.load)
        self.metric_choice.currentIndexChanged.connect(lambda *_: self.show_metric())
        self.refresh_button.clicked.connect(self.load)
        self.compare_button.clicked.connect(self._ask_compare)
        self.save_button.clicked.connect(self._save_png)
        return row

    def set_plugins(self, keys: list[str]) -> None:
        known = {self.plugin.itemText(i) for i in range(self.plugin.count())}
        for key in keys:
            if key not in known:
                self.plugin.addItem(key)

    def attach(self, registry: Plugins, service: Analytics) -> None:
        self.registry, self.service = registry, service

    def load(self) -> None:
        service, key = self.service, self.plugin.currentText()
        info = self.registry.get(key) if self.registry is not None and key else None
        if service is None or info is None:
            return
        chosen = self.window_choice.chosen()
        wanted = self._wanted = (info.key, chosen)
        self.refresh_button.setEnabled(False)

        def build() -> tuple[tuple[str, TimeRange], AnalyticsReport]:
            from desktop_app.models.analytics import AnalyticsReport  # pydantic: off the start path

            _since, until = chosen.bounds()
            report = service.analytics(info.id, info.key, hours=chosen.seconds / 3600, now=until)
            return wanted, AnalyticsReport.model_validate(report)

        def failed(message: str) -> None:
            self.refresh_button.setEnabled(True)
            self.status_message.emit(tr("Analytics failed: {message}").format(message=message))

        run_in_background(build, self._loaded, failed, owner=self)

    def _loaded(self, answer: tuple[tuple[str, TimeRange], AnalyticsReport]) -> None:
        """Show a report unless the operator has asked for another meanwhile."""
        wanted, report = answer
        if wanted == self._wanted:
            self.report_for = wanted
            self.show_report(report)

    def show_report(self, report: AnalyticsReport) -> None:
        self.refresh_button.setEnabled(True)
        self.report = report
        chosen = self.metric_choice.currentData() or "cpu_usage"
        self.metric_choice.blockSignals(True)
        self.metric_choice.clear()
        for name in report.history.metrics:
            self.metric_choice.addItem(label(name), name)
        self.metric_choice.setCurrentIndex(max(self.metric_choice.findData(chosen), 0))
        self.metric_choice.blockSignals(False)
        self._show_summary(report)
        patterns = report.patterns
        self.heatmap.show_grid(patterns.heatmap, patterns.usage_metric)
        self.heatmap_title.setText(
            tr("Average {metric} by weekday and hour ({zone})").format(
                metric=label(patterns.usage_metric).lower(), zone=patterns.timezone
            )
        )
        forecasts = [forecast_text(f) for f in report.forecasts if f.eta_seconds is not None]
        self.forecast.setText("\n".join(forecasts) or tr("No threshold is forecast to be crossed."))
        self.show_metric()

    def choose_metric(self, name: str) -> None:
        self.metric_choice.setCurrentIndex(self.metric_choice.findData(name))

    def show_metric(self) -> None:
        report, name = self.report, self.metric_choice.currentData()
        if report is None or name not in report.history.metrics:
            return
        trend = report.trends.get(name)
        line = (trend.fitted_first, trend.fitted_last) if trend else (math.nan, math.nan)
        self.chart.setTitle(label(name))
        self.chart.use_metric(name, tr(describe(name).unit))
        self.chart.show_metric(report.history.timestamps, report.history.metrics[name], line)
        self.compare(self.compared_keys)
        if trend is None:
            self.direction.setText(tr("Not enough data for a trend"))
            self.strength.setText("")
            return
        self.direction.setText(
            f"{ARROWS[trend.direction]} {tr(trend.direction)} ({trend.change_percent:+.1f} %)"
        )
        colour = STRENGTH_COLOURS[trend.strength]
        self.strength.setText(tr(trend.strength))
        self.strength.setStyleSheet(
            f"background: {colour}; color: white; border-radius: 4px; padding: 2px 8px;"
        )

    def _ask_compare(self) -> None:
        keys = [self.plugin.itemText(i) for i in range(self.plugin.count())]
        others = [key for key in keys if key != self.plugin.currentText()]
        dialog = CompareDialog(others, self.compared_keys, self)
        if dialog.exec():
            self.compare(dialog.chosen())

    def compare(self, keys: list[str]) -> None:
        """Draw the shown metric of `keys` (other plugins) over the same window."""
        self.compared_keys = keys
        service, registry, name = self.service, self.registry, self.metric_choice.currentData()
        if not keys or service is None or registry is None or self.report_for is None:
            self.chart.compare({})
            return
        plugins = [info for key in keys if (info := registry.get(key)) is not None]
        _key, chosen = self.report_for
        _since, until = chosen.bounds()
        hours = chosen.seconds / 3600

        def build() -> dict[str, tuple[list[float], list[float | None]]]:
            return {
                info.key: service.averages(info.id, name, hours=hours, now=until)
                for info in plugins
            }

        def show(series: dict[str, tuple[list[float], list[float | None]]]) -> None:
            if keys == self.compared_keys and name == self.metric_choice.currentData():
                self.chart.name_average(self.plugin.currentText())
                self.chart.compare(series)

        run_in_background(build, show, self.status_message.emit, owner=self)

    def _show_summary(self, report: AnalyticsReport) -> None:
        summary, trends = report.summary, report.trends
        self.summary.setRowCount(len(summary))
        for row, (name, values) in enumerate(summary.items()):
            trend = trends.get(name)
            numbers = (values.average, values.minimum, values.maximum, values.current)
            metric = describe(name)
            scale = scale_of(metric.display, tr(metric.unit), numbers)  # one unit per row
            cells = [
                label(name),
                *(NO_VALUE if v is None or math.isnan(v) else scale.text(v) for v in numbers),
                f"{ARROWS[trend.direction]} {tr(trend.strength)}" if trend else "",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.summary.setItem(row, column, item)

    def save_png(self, path: Path) -> bool:
        return bool(self.chart.grab().save(str(path), "PNG"))

    def _save_png(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, tr("Save chart as"), str(Path.home() / "trend.png"), "PNG (*.png)"
        )
        if name:
            saved = self.save_png(Path(name))
            self.status_message.emit(
                tr("Chart saved to {path}").format(path=name)
                if saved
                else tr("Could not save the chart to {path}").format(path=name)
            )
