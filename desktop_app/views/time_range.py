"""The time-range selector every history view shares: 15 min to 30 days
ending now, or a custom range picked in the operator's time zone."""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QDateTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from desktop_app.models.timestamps import local_minute

MINUTE, HOUR, DAY = 60, 3600, 86_400
CUSTOM = -1


def tr(text: str) -> str:
    return QCoreApplication.translate("TimeRange", text)


@dataclass(frozen=True, slots=True)
class TimeRange:
    """`seconds` long, ending at `end` (None: ending now)."""

    seconds: float
    end: float | None = None

    def bounds(self, now: float | None = None) -> tuple[float, float]:
        until = self.end if self.end is not None else (time.time() if now is None else now)
        return until - self.seconds, until


def presets() -> list[tuple[str, int]]:
    return [
        (tr("15 min"), 15 * MINUTE),
        (tr("1 h"), HOUR),
        (tr("6 h"), 6 * HOUR),
        (tr("24 h"), DAY),
        (tr("7 days"), 7 * DAY),
        (tr("30 days"), 30 * DAY),
    ]


class CustomRangeDialog(QDialog):
    """From and to, in the operator's time zone; OK only while from < to."""

    def __init__(self, start: float, end: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Custom time range"))
        self.start = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(start)))
        self.end = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(end)))
        self.problem = QLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.dateTimeChanged.connect(self._check)
        form.addRow(tr("From"), self.start)
        form.addRow(tr("To"), self.end)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self._check()

    def chosen(self) -> TimeRange:
        start = self.start.dateTime().toSecsSinceEpoch()
        end = self.end.dateTime().toSecsSinceEpoch()
        return TimeRange(float(end - start), float(end))

    def _check(self) -> None:
        good = self.chosen().seconds >= MINUTE
        self.problem.setText(
            "" if good else tr("The range must end at least a minute after it starts.")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(good)


class TimeRangeChoice(QComboBox):
    """A combo box of ranges; `changed` says which one was chosen. "Custom…"
    asks for the range and keeps it as the shown choice."""

    changed = Signal()

    def __init__(self, default_seconds: int = 15 * MINUTE) -> None:
        super().__init__()
        for label, seconds in presets():
            self.addItem(label, seconds)
        self.addItem(tr("Custom…"), CUSTOM)
        self.custom: TimeRange | None = None
        self._last = max(self.findData(default_seconds), 0)
        self.setCurrentIndex(self._last)
        self.activated.connect(self._activated)

    def chosen(self) -> TimeRange:
        data = int(self.currentData())
        if data == CUSTOM and self.custom is not None:
            return self.custom
        return TimeRange(float(data))

    def label(self) -> str:
        if int(self.currentData()) != CUSTOM or self.custom is None:
            return self.currentText()
        start, end = (local_minute(t) for t in self.custom.bounds())
        return f"{start} \u2013 {end}"

    def choose_custom(self, chosen: TimeRange) -> None:
        self.custom = chosen
        self._last = self.findData(CUSTOM)
        self.setCurrentIndex(self._last)
        self.changed.emit()

    def _activated(self, index: int) -> None:
        if int(self.itemData(index)) != CUSTOM:
            self._last = index
            self.changed.emit()
            return
        start, end = (self.custom or TimeRange(float(DAY))).bounds()
        dialog = CustomRangeDialog(start, end, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.choose_custom(dialog.chosen())
        else:
            self.setCurrentIndex(self._last)  # cancelled: the range stays what it was
