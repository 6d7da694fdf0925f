"""A tiny line of recent values, painted directly (one per plugin card)."""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget


class Sparkline(QWidget):
    def __init__(self, points: int = 60, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: deque[float] = deque(maxlen=points)
        self.colour = QColor("#3b82f6")
        self.setMinimumHeight(28)

    def sizeHint(self) -> QSize:
        return QSize(160, 32)

    def add(self, value: float) -> None:
        self._values.append(value)

    def paintEvent(self, _event: QPaintEvent) -> None:
        if len(self._values) < 2:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        top = max(100.0, *self._values)
        width, height = self.width() - 2, self.height() - 4
        step = width / (self._values.maxlen - 1 if self._values.maxlen else 1)
        offset = width - step * (len(self._values) - 1)
        path = QPainterPath()
        for i, value in enumerate(self._values):
            point = QPointF(1 + offset + i * step, 2 + height * (1 - value / top))
            if i == 0:
                path.moveTo(point)
            else:
                path.lineTo(point)
        painter.setPen(QPen(self.colour, 1.6, Qt.PenStyle.SolidLine))
        painter.drawPath(path)
        painter.end()
