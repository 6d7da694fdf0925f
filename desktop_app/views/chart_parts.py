"""What every time chart shares: a value axis in human units, a crosshair that
reads the value and time under the mouse, and the palette of the theme."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette

from desktop_app.models.metrics import Display
from desktop_app.models.units import Scale, scale_of

CROSSHAIR_RATE = 30  # mouse moves handled per second: smooth, and never a paint per event


def follow_palette(plot: pg.PlotWidget) -> None:
    """Colours from the window's palette (light or dark theme); no pyqtgraph
    context menu or auto-range button, which operators never need here."""
    palette = plot.palette()
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    text = palette.color(QPalette.ColorRole.Text)
    for axis in ("left", "bottom"):
        plot.getAxis(axis).setTextPen(text)
        plot.getAxis(axis).setPen(palette.color(QPalette.ColorRole.Mid))
    plot.getPlotItem().titleLabel.setAttr("color", text.name())
    plot.setMenuEnabled(False)
    plot.hideButtons()


def opaque_grid(plot: pg.PlotWidget) -> None:
    """Grid lines in a solid colour a fifth of the way from the background to
    the theme's mid tone: what alpha 0.2 looks like, without blending each
    line over the plot (alpha grids were the largest part of a live chart's
    paint in software rendering: bench_console UI p99 18.5 ms with them, 14 ms
    without)."""
    palette = plot.palette()
    base, mid = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Mid)
    mix = QColor(
        (4 * base.red() + mid.red()) // 5,
        (4 * base.green() + mid.green()) // 5,
        (4 * base.blue() + mid.blue()) // 5,
    )
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setGrid(255)
        axis.setTickPen(pg.mkPen(mix))
        # Under the plotted items (the view box is at -100): a grid line never
        # hides a curve or a threshold line that sits on a round value.
        axis.setZValue(-200)


class TimeAxis(pg.DateAxisItem):  # type: ignore[misc]
    """Date-time ticks in the operator's time zone, in numbers only (no month
    or weekday names, which would read in English in the Korean console):
    seconds, minutes, days or months by the spacing of the ticks."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        shown = (
            "%H:%M:%S"
            if spacing < 60
            else "%H:%M"
            if spacing < 86_400
            else "%m-%d"
            if spacing < 28 * 86_400
            else "%Y-%m"
        )
        return [time.strftime(shown, time.localtime(value)) for value in values]


class UnitAxis(pg.AxisItem):  # type: ignore[misc]
    """A value axis whose ticks read "512 MiB" or "250 ms", one scale for the
    whole axis, instead of pyqtgraph's "3e+08" and "s (x0.001)"."""

    def __init__(self, display: Display = Display.NUMBER, unit: str = "") -> None:
        super().__init__("left")
        self.enableAutoSIPrefix(False)
        self.display, self.unit = display, unit

    def value_scale(self, values: Sequence[float]) -> Scale:
        return scale_of(self.display, self.unit, values)

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        """Round steps in the shown unit (100 KiB, not 97.7 KiB from 100,000 B)."""
        divisor = self.value_scale([minVal, maxVal]).divisor
        levels = super().tickSpacing(minVal / divisor, maxVal / divisor, size)
        return [(spacing * divisor, offset * divisor) for spacing, offset in levels]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        chosen = self.value_scale([*self.range, *values])  # the scale tickSpacing stepped in
        step = spacing / chosen.divisor
        decimals = 0 if step >= 1 or step <= 0 else min(6, math.ceil(-math.log10(step)))
        return [chosen.with_unit(f"{value / chosen.divisor:,.{decimals}f}") for value in values]


def moment(ts: float) -> str:
    """A time under the crosshair, in the operator's time zone."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts))


def nearest(xs: np.ndarray, ys: np.ndarray, x: float) -> tuple[float, float] | None:
    """The data point nearest to `x` (gaps' NaNs skipped)."""
    keep = ~np.isnan(ys)
    xs, ys = xs[keep], ys[keep]
    if not len(xs):
        return None
    index = int(np.clip(np.searchsorted(xs, x), 1, len(xs) - 1)) if len(xs) > 1 else 0
    if index and abs(xs[index - 1] - x) <= abs(xs[index] - x):
        index -= 1
    return float(xs[index]), float(ys[index])


class Crosshair:
    """A vertical and a horizontal line through the point nearest the mouse,
    with its time and value; one line per named curve when several are drawn."""

    def __init__(self, plot: pg.PlotWidget, axis: UnitAxis) -> None:
        self.plot, self.axis = plot, axis
        palette = plot.palette()
        pen = pg.mkPen(palette.color(QPalette.ColorRole.Mid), width=1)
        self.vertical = pg.InfiniteLine(angle=90, movable=False, pen=pen)
        self.horizontal = pg.InfiniteLine(angle=0, movable=False, pen=pen)
        fill = QColor(palette.color(QPalette.ColorRole.Base))
        fill.setAlpha(220)
        self.label = pg.TextItem(color=palette.color(QPalette.ColorRole.Text), fill=fill)
        self.text = ""
        for item in (self.vertical, self.horizontal, self.label):
            item.setZValue(50)
            plot.addItem(item, ignoreBounds=True)
            item.hide()
        self._proxy = pg.SignalProxy(
            plot.scene().sigMouseMoved, rateLimit=CROSSHAIR_RATE, slot=self._moved
        )

    def _moved(self, event: tuple[Any, ...]) -> None:
        position = event[0]
        box = self.plot.getPlotItem().vb
        if not box.sceneBoundingRect().contains(position):
            self.hide()
            return
        self.show_at(box.mapSceneToView(position).x())

    def hide(self) -> None:
        for item in (self.vertical, self.horizontal, self.label):
            item.hide()
        self.text = ""

    def _curves(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        found = []
        for item in self.plot.getPlotItem().listDataItems():
            xs, ys = item.getData()
            if xs is not None and len(xs) and item.opts.get("crosshair", True):
                found.append((item.name() or "", np.asarray(xs, float), np.asarray(ys, float)))
        return found

    def show_at(self, x: float) -> str:
        """Put the crosshair on the points nearest to `x`; returns its text."""
        points = [(name, nearest(xs, ys, x)) for name, xs, ys in self._curves()]
        found = [(name, point) for name, point in points if point is not None]
        if not found:
            self.hide()
            return ""
        at, value = found[0][1]
        scale = self.axis.value_scale([point[1] for _, point in found])
        lines = [moment(at)] + [
            f"{name}: {scale.text(point[1])}" if name else scale.text(point[1])
            for name, point in found
        ]
        self.text = "\n".join(lines)
        self.vertical.setPos(at)
        self.horizontal.setPos(value)
        self.label.setText(self.text)
        left, right = self.plot.getPlotItem().vb.viewRange()[0]
        self.label.setAnchor((1, 1) if at > (left + right) / 2 else (0, 1))
        self.label.setPos(at, value)
        for item in (self.vertical, self.horizontal, self.label):
            item.show()
        return self.text
