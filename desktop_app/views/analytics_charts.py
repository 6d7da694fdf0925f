"""The analytics page's charts: a metric's trend with its min-max band, fitted
line and up to five compared plugins; and the weekday-by-hour heatmap with
its colour scale."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt

from desktop_app.models.metrics import describe
from desktop_app.models.units import human
from desktop_app.views.chart_parts import follow_palette
from desktop_app.views.charts import TimeChart

if TYPE_CHECKING:
    from desktop_app.models.analytics import BucketSeriesOut

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FEW_POINTS = 3
MAX_COMPARED = 5
COMPARE_COLOURS = ("#e5a000", "#16a34a", "#9b59b6", "#c81d25", "#0891b2")


def tr(text: str) -> str:
    return QCoreApplication.translate("Analytics", text)


def _floats(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


class TrendChart(TimeChart):
    """A metric's bucket averages, its min-max band and the fitted line; with
    `compare`, the same metric of other plugins on the same axes."""

    def __init__(self) -> None:
        super().__init__("")
        self.band_low = self.plot(pen=None)
        self.band_high = self.plot(pen=None)
        self.band = pg.FillBetweenItem(self.band_low, self.band_high, brush=(31, 119, 180, 50))
        self.addItem(self.band)
        self.legend = self.addLegend(offset=(10, 5))
        self.average = self.plot(pen=pg.mkPen("#1f77b4", width=1.5))
        self.fitted = self.plot(pen=pg.mkPen("#c81d25", width=2, style=Qt.PenStyle.DashLine))
        for item in (self.band_low, self.band_high, self.fitted):
            item.opts["crosshair"] = False  # the crosshair reads the averages only
        self.compared: list[pg.PlotDataItem] = []
        self._span: tuple[float, float] | None = None

    def show_metric(
        self, times: list[float], metric: BucketSeriesOut, line: tuple[float, float]
    ) -> None:
        x = np.array(times, dtype=float)
        average = _floats(metric.average)
        keep = ~np.isnan(average)
        few = keep.sum() < FEW_POINTS  # a fresh plugin: show its points, not a bare line
        self.average.setData(x[keep], average[keep], symbol="o" if few else None, symbolSize=6)
        self.band_low.setData(x[keep], _floats(metric.minimum)[keep])
        self.band_high.setData(x[keep], _floats(metric.maximum)[keep])
        if len(x):
            self.fitted.setData([x[0], x[-1]], list(line))
            self._span = (x[0], x[-1]) if x[-1] > x[0] else (x[0] - 1800, x[0] + 1800)
        else:
            self.fitted.setData([], [])
            self._span = None
        self.reset_view()

    def compare(self, series: dict[str, tuple[list[float], list[float | None]]]) -> None:
        """Overlay up to `MAX_COMPARED` plugins' averages, each named in the legend."""
        for item in self.compared:
            self.legend.removeItem(item)
            self.removeItem(item)
        self.compared = []
        for colour, (key, (times, values)) in zip(
            COMPARE_COLOURS, list(series.items())[:MAX_COMPARED], strict=False
        ):
            y = _floats(values)
            keep = ~np.isnan(y)
            item = self.plot(
                np.array(times, dtype=float)[keep],
                y[keep],
                pen=pg.mkPen(colour, width=1.5),
                name=key,
            )
            self.compared.append(item)

    def name_average(self, key: str) -> None:
        """The main line's name in the legend and crosshair (when comparing)."""
        self.legend.removeItem(self.average)
        self.average.opts["name"] = key
        self.legend.addItem(self.average, key)

    def reset_view(self) -> None:
        self.zoomed = False
        if self._span is not None:
            self.setXRange(*self._span, padding=0.01)


class Heatmap(pg.PlotWidget):  # type: ignore[misc]
    """Average usage by weekday (rows) and hour (columns), with a colour scale
    whose ends read in the metric's unit."""

    def __init__(self) -> None:
        super().__init__()
        follow_palette(self)
        self.setMouseEnabled(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        colours = pg.colormap.get("viridis")
        self.image.setColorMap(colours)
        self.addItem(self.image)
        self.scale_bar = pg.ColorBarItem(
            values=(0, 100), colorMap=colours, interactive=False, width=12, label=""
        )
        self.scale_bar.setImageItem(self.image, insert_in=self.getPlotItem())
        self.scale_bar.axis.setWidth(48)  # room for the end values: "308", "42.5 %"
        self.getPlotItem().layout.setContentsMargins(0, 8, 0, 0)  # and for the top one
        self.getAxis("left").setTicks([[(i + 0.5, tr(day)) for i, day in enumerate(DAYS)]])
        self.getAxis("bottom").setTicks([[(h + 0.5, str(h)) for h in range(0, 24, 3)]])
        self.invertY(True)
        self.setRange(xRange=(0, 24), yRange=(0, 7), padding=0)
        self.values = np.full((7, 24), np.nan)
        self.metric = "cpu_usage"
        self.legend_text: list[str] = []  # what the colour scale's ends read
        self.scene().sigMouseMoved.connect(self._hover)

    def shown(self, value: float) -> str:
        metric = describe(self.metric)
        return human(None if math.isnan(value) else value, metric.display, metric.unit)

    def cell_text(self, day: int, hour: int) -> str:
        return f"{tr(DAYS[day])} {hour:02d}:00  {self.shown(self.values[day, hour])}"

    def _hover(self, position: object) -> None:
        point = self.getPlotItem().vb.mapSceneToView(position)
        day, hour = math.floor(point.y()), math.floor(point.x())
        inside = 0 <= day < 7 and 0 <= hour < 24
        self.setToolTip(self.cell_text(day, hour) if inside else "")

    def show_grid(self, grid: list[list[float | None]], metric: str) -> None:
        self.metric = metric
        self.values = np.array([_floats(row) for row in grid], dtype=float)
        if np.isnan(self.values).all():
            self.image.clear()
            self.scale_bar.setLevels((0, 1))
            self.legend_text = []
            self.scale_bar.axis.setTicks([[]])
            return
        low, high = float(np.nanmin(self.values)), float(np.nanmax(self.values))
        ends = [low, high] if high > low else [low]  # every cell alike: one value, not a range
        self.image.setImage(np.nan_to_num(self.values, nan=low), levels=(low, max(high, low + 1)))
        self.scale_bar.setLevels((low, max(high, low + 1)))
        self.legend_text = [self.shown(end) for end in ends]
        self.scale_bar.axis.setTicks([list(zip(ends, self.legend_text, strict=True))])
