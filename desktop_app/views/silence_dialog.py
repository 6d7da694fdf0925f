""" "Silence…" on an alert: for how long (1 h, 4 h, until tomorrow 09:00, or
a number of hours), which alerts (this rule of this plugin, or all of the
plugin), and why. Nothing is silenced without a reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from desktop_app.models.alerts import Alert

CUSTOM = -1.0
TOMORROW_MORNING = -2.0


def tr(text: str) -> str:
    return QCoreApplication.translate("Silence", text)


@dataclass(frozen=True)
class SilenceRequest:
    plugin_key: str
    rule: str | None
    ends_at: float
    comment: str


def tomorrow_at_nine(now: dt.datetime) -> dt.datetime:
    return (now + dt.timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)


class SilenceDialog(QDialog):
    def __init__(self, alert: Alert, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alert = alert
        self.setWindowTitle(tr("Silence alerts"))
        form = QFormLayout(self)
        self.length = QComboBox()
        for label, hours in (
            (tr("1 hour"), 1.0),
            (tr("4 hours"), 4.0),
            (tr("Until tomorrow 09:00"), TOMORROW_MORNING),
            (tr("Custom…"), CUSTOM),
        ):
            self.length.addItem(label, hours)
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0.1, 24 * 366)
        self.hours.setSuffix(tr(" h"))
        self.hours.setValue(8)
        self.hours.setEnabled(False)
        self.length.currentIndexChanged.connect(
            lambda _i: self.hours.setEnabled(self.length.currentData() == CUSTOM)
        )
        self.whole_plugin = QCheckBox(tr("Every rule of {plugin}").format(plugin=alert.plugin_key))
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(tr("Why (required), e.g. deploying v2.3"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.comment.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(tr("For"), self.length)
        form.addRow(tr("Hours"), self.hours)
        form.addRow(tr("Alerts"), self.whole_plugin)
        form.addRow(tr("Comment"), self.comment)
        form.addRow(buttons)

    def request(self, now: dt.datetime | None = None) -> SilenceRequest:
        moment = now or dt.datetime.now().astimezone()
        choice = self.length.currentData()
        if choice == TOMORROW_MORNING:
            ends = tomorrow_at_nine(moment)
        else:
            hours = self.hours.value() if choice == CUSTOM else choice
            ends = moment + dt.timedelta(hours=hours)
        return SilenceRequest(
            plugin_key=self.alert.plugin_key,
            rule=None if self.whole_plugin.isChecked() else self.alert.rule,
            ends_at=ends.timestamp(),
            comment=self.comment.text().strip(),
        )
