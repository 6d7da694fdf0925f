"""Analytics: one plugin's trend chart with its fitted line and
direction/strength badges, an hour-of-day by weekday heatmap, the summary
table and the threshold forecasts. The report is built off the UI thread."""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pyqtgraph as pg
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

from desktop_app.models.analytics import AnalyticsReport, BucketSeriesOut, ForecastOut
from desktop_app.models.metrics import CATALOGUE
from desktop_app.services.analytics.report import UNITS, AnalyticsService
from desktop_app.services.plugins.registry import PluginRegistry
from desktop_app.views.chart_parts import follow_palette
from desktop_app.views.tasks import run_in_background

WINDOWS = [("24 h", 24), ("7 days", 168), ("30 days", 720), ("90 days", 2160)]
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ARROWS = {"up": "\u2197", "down": "\u2198", "stable": "\u2192"}
STRENGTH_COLOURS = {"strong": "#c81d25", "moderate": "#e0a100", "weak": "#2b8a3e"}
COLUMNS = ("Metric", "Average", "Minimum", "Maximum", "Current", "Trend")


def tr(text: str) -> str:
    return QCoreApplication.translate("Analytics", text)


def shown(value: object) -> str:
    if not isinstance(value, int | float) or math.isnan(value):
        return "\u2013"
    if abs(value) >= 1e6:
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.1f}"


TREND_WORDS = ("up", "down", "stable", "strong", "moderate", "weak")
METRIC_LABELS = {metric.wire: metric.label for metric in CATALOGUE}
REFRESH_MS = 60_000
FEW_POINTS = 3


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
    line = f"{forecast.threshold:g} {UNITS.get(forecast.metric, '')}".rstrip()
    if not forecast.eta_seconds:
        return tr("{title} is at its line of {line}").format(title=title, line=line)
    return tr("{title} reaches {line} in {duration}").format(
        title=title, line=line, duration=duration_text(forecast.eta_seconds)
    )


class TrendChart(pg.PlotWidget):  # type: ignore[misc]
    """A metric's bucket averages, its min-max band and the fitted line."""

    def __init__(self) -> None:
        super().__init__(axisItems={"bottom": pg.DateAxisItem()})
        follow_palette(self)
        self.showGrid(x=True, y=True, alpha=0.2)
        self.setMouseEnabled(x=False, y=False)
        self.band_low = self.plot(pen=None)
        self.band_high = self.plot(pen=None)
        self.band = pg.FillBetweenItem(self.band_low, self.band_high, brush=(31, 119, 180, 50))
        self.addItem(self.band)
        self.average = self.plot(pen=pg.mkPen("#1f77b4", width=1.5))
        self.fitted = self.plot(pen=pg.mkPen("#c81d25", width=2, style=Qt.PenStyle.DashLine))

    def show_metric(
        self, times: list[float], metric: BucketSeriesOut, line: tuple[float, float]
    ) -> None:
        x = np.array(times, dtype=float)

        def series(name: str) -> np.ndarray:
            values = getattr(metric, name)
            return np.array([np.nan if v is None else v for v in values], dtype=float)

        keep = ~np.isnan(series("average"))
        few = keep.sum() < FEW_POINTS  # a fresh plugin: show its points, not a bare line
        self.average.setData(
            x[keep], series("average")[keep], symbol="o" if few else None, symbolSize=6
        )
        self.band_low.setData(x[keep], series("minimum")[keep])
        self.band_high.setData(x[keep], series("maximum")[keep])
        if len(x):
            self.fitted.setData([x[0], x[-1]], list(line))
            start, end = (x[0], x[-1]) if x[-1] > x[0] else (x[0] - 1800, x[0] + 1800)
            self.setXRange(start, end, padding=0.01)
        else:
            self.fitted.setData([], [])


class Heatmap(pg.PlotWidget):  # type: ignore[misc]
    """Average usage by weekday (rows) and hour (columns)."""

    def __init__(self) -> None:
        super().__init__()
        follow_palette(self)
        self.setMouseEnabled(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.addItem(self.image)
        self.getAxis("left").setTicks([[(i + 0.5, tr(day)) for i, day in enumerate(DAYS)]])
        self.getAxis("bottom").setTicks([[(h + 0.5, str(h)) for h in range(0, 24, 3)]])
        self.invertY(True)
        self.setRange(xRange=(0, 24), yRange=(0, 7), padding=0)
        self.values = np.full((7, 24), np.nan)
        self.scene().sigMouseMoved.connect(self._hover)

    def cell_text(self, day: int, hour: int) -> str:
        return f"{tr(DAYS[day])} {hour:02d}:00  {shown(self.values[day, hour])}"

    def _hover(self, position: object) -> None:
        point = self.getPlotItem().vb.mapSceneToView(position)
        day, hour = math.floor(point.y()), math.floor(point.x())
        inside = 0 <= day < 7 and 0 <= hour < 24
        self.setToolTip(self.cell_text(day, hour) if inside else "")

    def show_grid(self, grid: list[list[float | None]]) -> None:
        self.values = np.array(
            [[np.nan if v is None else v for v in row] for row in grid], dtype=float
        )
        if np.isnan(self.values).all():
            self.image.clear()
            return
        low, high = np.nanmin(self.values), np.nanmax(self.values)
        self.image.setImage(
            np.nan_to_num(self.values, nan=low), levels=(low, high if high > low else low + 1)
        )


class AnalyticsPage(QWidget):
    status_message = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        # Given by attach() once the monitor runs.
        self.registry: PluginRegistry | None = None
        self.service: AnalyticsService | None = None
        self.report: AnalyticsReport | None = None
        self.report_for: tuple[str, int] | None = None  # (plugin, hours) shown
        self._wanted: tuple[str, int] | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('Analytics')}</h2>"))
        layout.addLayout(self._controls())
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
        layout.addLayout(grid, 1)
        # While shown, the report follows new samples once a minute.
        self.auto_refresh = QTimer(self)
        self.auto_refresh.timeout.connect(self._refresh_if_shown)
        self.auto_refresh.start(REFRESH_MS)

    def _refresh_if_shown(self) -> None:
        if self.isVisible() and self.refresh_button.isEnabled() and self.report is not None:
            self.load()

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.plugin = QComboBox()
        self.plugin.setMinimumWidth(200)
        self.window_choice = QComboBox()
        for label, hours in WINDOWS:
            self.window_choice.addItem(tr(label), hours)
        self.metric_choice = QComboBox()
        self.metric_choice.setMinimumWidth(180)
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
        row.addWidget(self.refresh_button)
        row.addWidget(self.save_button)
        self.plugin.currentIndexChanged.connect(lambda *_: self.load())
        self.window_choice.currentIndexChanged.connect(lambda *_: self.load())
        self.metric_choice.currentIndexChanged.connect(lambda *_: self.show_metric())
        self.refresh_button.clicked.connect(self.load)
        self.save_button.clicked.connect(self._save_png)
        return row

    def set_plugins(self, keys: list[str]) -> None:
        known = {self.plugin.itemText(i) for i in range(self.plugin.count())}
        for key in keys:
            if key not in known:
                self.plugin.addItem(key)

    def attach(self, registry: PluginRegistry, service: AnalyticsService) -> None:
        self.registry, self.service = registry, service

    def load(self) -> None:
        service, key = self.service, self.plugin.currentText()
        info = self.registry.get(key) if self.registry is not None and key else None
        if service is None or info is None:
            return
        hours = int(self.window_choice.currentData())
        wanted = self._wanted = (info.key, hours)
        self.refresh_button.setEnabled(False)

        def build() -> tuple[tuple[str, int], AnalyticsReport]:
            report = service.analytics(info.id, info.key, hours=hours, now=time.time())
            return wanted, AnalyticsReport.model_validate(report)

        def failed(message: str) -> None:
            self.refresh_button.setEnabled(True)
            self.status_message.emit(tr("Analytics failed: {message}").format(message=message))

        run_in_background(build, self._loaded, failed, owner=self)

    def _loaded(self, answer: tuple[tuple[str, int], AnalyticsReport]) -> None:
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
        self.heatmap.show_grid(patterns.heatmap)
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
        self.chart.setTitle(f"{label(name)} ({report.summary[name].unit})")
        self.chart.show_metric(report.history.timestamps, report.history.metrics[name], line)
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

    def _show_summary(self, report: AnalyticsReport) -> None:
        summary, trends = report.summary, report.trends
        self.summary.setRowCount(len(summary))
        for row, (name, values) in enumerate(summary.items()):
            trend = trends.get(name)
            cells = [
                f"{label(name)} ({values.unit})",
                *(
                    shown(v)
                    for v in (values.average, values.minimum, values.maximum, values.current)
                ),
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
