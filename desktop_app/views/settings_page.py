"""Settings: thresholds (global or per plugin) and the collection interval,
checked as typed, applied live in the background and audited."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.config import SPEC_BY_KEY, THRESHOLD_DOCS
from desktop_app.models.thresholds import THRESHOLD_NAMES
from desktop_app.services.runtime import PluginMonitor
from desktop_app.services.thresholds import ThresholdChange
from desktop_app.views.alerts_page import console_actor
from desktop_app.views.tasks import run_in_background

INTEGER_THRESHOLDS = {"consecutive_errors_threshold", "for_samples"}
LIMITS = {
    "hysteresis": (0.0, 0.5),
    "consecutive_errors_threshold": (1, 1000),
    "for_samples": (1, 100),
    "response_time_threshold": (0.0, 3600.0),
    "response_time_critical_threshold": (0.0, 3600.0),
}


def tr(text: str) -> str:
    return QCoreApplication.translate("Settings", text)


class SettingsPage(QWidget):
    status_message = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.monitor: PluginMonitor | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('Settings')}</h2>"))
        scope_row = QHBoxLayout()
        scope_row.addWidget(QLabel(tr("Thresholds for")))
        self.scope = QComboBox()
        self.scope.addItem(tr("All plugins (global)"), None)
        self.scope.currentIndexChanged.connect(lambda *_: self.load())
        self.scope.setMinimumWidth(240)
        scope_row.addWidget(self.scope)
        scope_row.addStretch(1)
        layout.addLayout(scope_row)
        form = QFormLayout()
        self.fields: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for name in THRESHOLD_NAMES:
            low, high = LIMITS.get(name, (0.0, 100.0))
            box: QSpinBox | QDoubleSpinBox
            if name in INTEGER_THRESHOLDS:
                box = QSpinBox()
                box.setRange(int(low), int(high))
            else:
                box = QDoubleSpinBox()
                box.setRange(float(low), float(high))
                box.setDecimals(2)
            box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.PlusMinus)
            box.valueChanged.connect(lambda *_: self._check())
            self.fields[name] = box
            box.setMaximumWidth(180)
            doc = THRESHOLD_DOCS[name][1]
            form.addRow(tr(doc[0].upper() + doc[1:]), box)
        self.interval = QDoubleSpinBox()
        self.interval.setRange(1, 3600)
        self.interval.setSuffix(" s")
        self.interval.setMaximumWidth(180)
        form.addRow(tr("Collection interval"), self.interval)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c81d25;")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.apply_button = QPushButton(tr("Apply"))
        self.apply_button.clicked.connect(self.apply)
        buttons.addWidget(self.apply_button)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def set_plugins(self, keys: list[str]) -> None:
        known = {self.scope.itemData(i) for i in range(self.scope.count())}
        for key in keys:
            if key not in known:
                self.scope.addItem(key, key)

    def load(self) -> None:
        if self.monitor is None:
            return
        plugin = self.scope.currentData()
        thresholds = self.monitor.thresholds
        values = thresholds.effective(plugin) if plugin else thresholds.global_values
        for name, box in self.fields.items():
            box.blockSignals(True)
            box.setValue(getattr(values, name))
            box.blockSignals(False)
        self.interval.setValue(self.monitor.scheduler.interval)
        self.interval.setEnabled(plugin is None)
        self._check()

    def _values(self) -> dict[str, float]:
        return {name: box.value() for name, box in self.fields.items()}

    def _check(self) -> bool:
        values = self._values()
        problems = [
            tr(
                "{metric}: the critical line must be at or above the warning line (or 0 for off)"
            ).format(metric=metric)
            for metric in ("cpu", "memory", "response_time")
            if values[f"{metric}_critical_threshold"]
            and values[f"{metric}_critical_threshold"] < values[f"{metric}_threshold"]
        ]
        self.problem.setText("\n".join(problems))
        self.apply_button.setEnabled(not problems)
        return not problems

    def apply(self) -> None:
        if self.monitor is None or not self._check():
            return
        monitor = self.monitor
        plugin = self.scope.currentData()
        current = (
            monitor.thresholds.effective(plugin) if plugin else monitor.thresholds.global_values
        )
        changes = [
            ThresholdChange(name, int(value) if name in INTEGER_THRESHOLDS else value, plugin)
            for name, value in self._values().items()
            if value != getattr(current, name)
        ]
        interval = self.interval.value()

        def save() -> int:
            monitor.thresholds.update(changes, actor=console_actor())
            if plugin is None and interval != monitor.scheduler.interval:
                spec = SPEC_BY_KEY["collection.interval"]
                spec.validate(interval, "collection")
                monitor.settings_file.apply([(("collection", "interval"), interval)])
                monitor.scheduler.set_interval(interval)
                monitor.audit.record(
                    actor=console_actor(),
                    action="setting.set",
                    target="collection.interval",
                    new_value=interval,
                )
            return len(changes)

        def saved(count: int) -> None:
            self.status_message.emit(
                tr("Settings applied ({n} thresholds changed)").format(n=count)
            )

        def failed(message: str) -> None:
            self.problem.setText(message)

        run_in_background(save, saved, failed)
