"""Live line charts (pyqtgraph) that keep a fixed time window."""

from __future__ import annotations

from collections import deque

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

pg.setConfigOptions(antialias=True)


class LiveChart(pg.PlotWidget):  # type: ignore[misc]
    """A chart of one series over the last `window` seconds; new points are
    appended and only redrawn by `refresh()`, which the owner calls on a timer."""

    def __init__(
        self,
        title: str,
        unit: str,
        colour: str,
        *,
        window: float = 900.0,
        parent: QWidget | None = None,
        y_range: tuple[float, float] | None = (0, 100),
    ) -> None:
        super().__init__(parent=parent, axisItems={"bottom": pg.DateAxisItem()})
        palette = self.palette()
        self.setBackground(palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        for axis in ("left", "bottom"):
            self.getAxis(axis).setTextPen(text)
            self.getAxis(axis).setPen(palette.color(QPalette.ColorRole.Mid))
        self.getPlotItem().titleLabel.setAttr("color", text.name())
        self.window = window
        self.setTitle(title)
        self.setLabel("left", unit)
        self.showGrid(x=True, y=True, alpha=0.2)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        if y_range is not None:
            self.setYRange(*y_range, padding=0.02)
        self._times: deque[float] = deque()
        self._values: deque[float] = deque()
        self._curve = self.plot(pen=pg.mkPen(colour, width=2))
        self._dirty = False

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

    def refresh(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self._curve.setData(np.fromiter(self._times, float), np.fromiter(self._values, float))

    @property
    def points(self) -> int:
        return len(self._times)
