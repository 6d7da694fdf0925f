"""Charts over time (pyqtgraph): the shared time chart, with its date-time
axis in the operator's time zone, human units, crosshair, wheel zoom, drag
pan and double-click reset; and the live chart that keeps a fixed window."""

from __future__ import annotations

import time
from collections import deque

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget

from desktop_app.models.metrics import BY_NAME, Display, describe
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.rules import RULES
from desktop_app.views.chart_parts import (
    Crosshair,
    TimeAxis,
    UnitAxis,
    follow_palette,
    opaque_grid,
)
from desktop_app.views.style import LEVEL_COLOURS

pg.setConfigOptions(antialias=False)


GAP_FACTOR = 3.0  # a pause this many usual spacings long is a gap
MIN_GAP_SECONDS = 5.0


def with_gaps(times: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """NaN between two points further apart than `GAP_FACTOR` times the usual
    spacing (and `MIN_GAP_SECONDS`), so a pause in the data is drawn as one,
    never as a straight line across it."""
    if len(times) < 3:
        return times, values
    steps = np.diff(times)
    limit = max(MIN_GAP_SECONDS, GAP_FACTOR * float(np.median(steps)))
    gaps = np.flatnonzero(steps > limit) + 1
    if not len(gaps):
        return times, values
    middles = (times[gaps - 1] + times[gaps]) / 2
    return np.insert(times, gaps, middles), np.insert(values, gaps, np.nan)


MIN_ZOOM_SECONDS = 30.0
# A live chart is redrawn at most once a second, like GNOME System Monitor's:
# each redraw repaints its axes' text, about 5 ms in software rendering, so 24
# charts redrawn as often as data came took 60 % of the UI thread at 1,000
# samples/s (bench_console: UI p99 22-25 ms before, see docs/performance.md).
REDRAW_SECONDS = 1.0  # zoomed in further, ticks would read milliseconds


class TimeChart(pg.PlotWidget):  # type: ignore[misc]
    """A chart over time. The wheel zooms and a drag pans the time axis (the
    value axis follows what is visible); a double-click resets the view."""

    def __init__(
        self,
        title: str,
        display: Display = Display.PERCENT,
        unit: str = "%",
        *,
        parent: QWidget | None = None,
    ) -> None:
        self.value_axis = UnitAxis(display, unit)
        super().__init__(parent=parent, axisItems={"bottom": TimeAxis(), "left": self.value_axis})
        follow_palette(self)
        self.setTitle(title)
        opaque_grid(self)
        self.setMouseEnabled(x=True, y=False)
        box = self.getViewBox()
        box.setLimits(minXRange=MIN_ZOOM_SECONDS)
        box.setAutoVisible(y=True)
        box.sigRangeChangedManually.connect(self._zoomed)
        self.scene().sigMouseClicked.connect(self._clicked)
        self.crosshair = Crosshair(self, self.value_axis)
        self.zoomed = False  # the operator zoomed or panned: the view stays put

    def use_metric(self, wire: str, unit: str | None = None) -> None:
        """The value axis and crosshair read in this metric's unit (or `unit`,
        the same in the console's language)."""
        metric = describe(wire)
        self.value_axis.display, self.value_axis.unit = metric.display, unit or metric.unit
        self.value_axis.picture = None  # ticks redrawn in the new unit
        self.value_axis.update()

    def _zoomed(self, *_args: object) -> None:
        self.zoomed = True

    def _clicked(self, event: object) -> None:
        if getattr(event, "double", lambda: False)():
            self.reset_view()

    def reset_view(self) -> None:
        self.zoomed = False
        self.enableAutoRange(x=True)


class LiveChart(TimeChart):
    """A chart of one series over the last `window` seconds; new points are
    appended and only redrawn by `refresh()`, which the owner calls on a timer.
    The window ends at the newest point, or at `until` when one is set."""

    def __init__(
        self,
        title: str,
        colour: str,
        *,
        display: Display = Display.PERCENT,
        unit: str = "%",
        window: float = 900.0,
        parent: QWidget | None = None,
        y_range: tuple[float, float] | None = (0, 100),
    ) -> None:
        super().__init__(title, display, unit, parent=parent)
        self.window = window
        self.until: float | None = None
        if display is not Display.NUMBER:
            self.getViewBox().setLimits(yMin=0)  # rates, sizes, times: never below zero
        if y_range is not None:
            self.setYRange(*y_range, padding=0.02)
        self._times: deque[float] = deque()
        self._values: deque[float] = deque()
        # Dense series are drawn at about one point per pixel column (peaks kept),
        # so a busy plugin costs no more to paint than a quiet one.
        self.setDownsampling(auto=True, mode="peak")
        self.setClipToView(True)
        self._curve = self.plot(pen=pg.mkPen(colour, width=1.5), connect="finite")
        self._colour = colour
        self._lines: list[tuple[float, pg.PlotCurveItem]] = []
        self._dirty = False
        self._drawn_at = 0.0  # monotonic time of the last redraw

    def add(self, ts: float, value: float | None) -> None:
        if value is None:
            return
        self._times.append(ts)
        self._values.append(value)
        while self._times and self._times[0] < ts - self.window:
            self._times.popleft()
            self._values.popleft()
        self._dirty = True

    def set_series(self, times: list[float], values: list[float]) -> None:
        self._times = deque(times)
        self._values = deque(values)
        self._dirty = True
        self.refresh()

    def reset_view(self) -> None:
        """Back to the whole window, following new points again."""
        self.zoomed = False
        self._dirty = True
        self.refresh()

    def needs_redraw(self) -> bool:
        return self._dirty and self.isVisible()

    def due(self, now: float) -> bool:
        """New data to draw, shown, and not drawn in the last `REDRAW_SECONDS`."""
        return self.needs_redraw() and now - self._drawn_at >= REDRAW_SECONDS

    def set_lines(self, lines: list[tuple[float, str]]) -> None:
        """Dashed horizontal lines (value, colour): the warning and critical lines.

        Drawn as segments across the data, not as `InfiniteLine`s: a dashed
        infinite line on an axis of epoch seconds hung the paint loop
        (pyqtgraph issue 1089; 1 screenshot run in 6 here). Plain curves, so
        the plot's clip-to-view and auto range leave them alone."""
        for _value, item in self._lines:
            self.removeItem(item)
        self._lines = [
            (value, pg.PlotCurveItem(pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine)))
            for value, colour in lines
        ]
        for _value, item in self._lines:
            # Outside the auto range: a line never moves the view that places it.
            self.addItem(item, ignoreBounds=True)
        self._dirty = True
        self.refresh()

    @property
    def line_values(self) -> list[float]:
        return [value for value, _item in self._lines]

    def refresh(self) -> None:
        if not self.needs_redraw():
            return
        self._dirty = False
        self._drawn_at = time.monotonic()
        times, values = with_gaps(np.fromiter(self._times, float), np.fromiter(self._values, float))
        # A lone sample is a point, not an invisible line of one.
        symbol = "o" if len(self._times) == 1 else None
        self._curve.setData(times, values, symbol=symbol, symbolBrush=self._colour, symbolSize=6)
        end = self.until if self.until is not None else (self._times[-1] if self._times else None)
        if end is not None and not self.zoomed:
            # The whole window, ending now: minute ticks from the first second
            # (auto range on a few seconds of data ticked in milliseconds).
            self.setXRange(end - self.window, end, padding=0.01)
        ends = [] if end is None else [end - self.window, end]
        for value, item in self._lines:
            item.setData(ends, [value] * len(ends))
        # The view's new transform now, not during the paint: pyqtgraph applies
        # it there and the items it moves ask for a second paint (two paints of
        # 3.9 ms per redraw before, one of 5.2 ms after, a 320x200 chart offscreen).
        self.getViewBox().prepareForPaint()

    @property
    def points(self) -> int:
        return len(self._times)


def rule_lines(field: str, values: ThresholdValues) -> list[tuple[float, str]]:
    """The enabled lines of the alert rule on a sample field (cpu_percent…),
    each in its level's colour; none for a field no rule watches."""
    wire = BY_NAME[field].wire if field in BY_NAME else field
    rule = next((rule for rule in RULES if rule.metric == wire), None)
    return (
        [] if rule is None else [(line, LEVEL_COLOURS[level]) for level, line in rule.lines(values)]
    )


def show_rule_lines(charts: dict[str, LiveChart], values: ThresholdValues) -> None:
    """Each chart's lines as the settings say now (redrawn only when they moved)."""
    for field, chart in charts.items():
        wanted = rule_lines(field, values)
        if [value for value, _ in wanted] != chart.line_values:
            chart.set_lines(wanted)


class ChartRefresher:
    """Spreads chart redraws over frames instead of redrawing every chart at
    once: each frame tick redraws at most `per_tick` charts that have new
    data, so twenty busy charts never hold the UI for a whole round of
    paints. Hidden charts wait until they are shown."""

    def __init__(self, owner: QWidget, per_tick: int = 1, interval_ms: int = 16) -> None:
        self.charts: list[LiveChart] = []
        self.per_tick = per_tick
        self._next = 0
        self.timer = QTimer(owner)  # ends with the window that owns the charts
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.tick)
        self.timer.start(interval_ms)

    def add(self, chart: LiveChart) -> None:
        self.charts.append(chart)

    def tick(self) -> None:
        redrawn, now = 0, time.monotonic()
        for _ in range(len(self.charts)):
            chart = self.charts[self._next % len(self.charts)]
            self._next += 1
            if chart.due(now):
                chart.refresh()
                redrawn += 1
                if redrawn >= self.per_tick:
                    return
