"""Settings: thresholds (global or per plugin) and the collection interval,
checked as typed, applied live in the background and audited."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.config import THRESHOLD_DOCS
from desktop_app.models.levels import AlertLevel
from desktop_app.models.thresholds import THRESHOLD_NAMES
from desktop_app.views.autostart_box import AutostartBox
from desktop_app.views.backup_settings import BackupSettingsForm
from desktop_app.views.operator import console_actor
from desktop_app.views.setting_boxes import int_box, number_box
from desktop_app.views.tasks import run_in_background
from desktop_app.views.webhooks_panel import WebhooksPanel

if TYPE_CHECKING:
    from desktop_app.services.analytics.backtest import Backtest
    from desktop_app.services.settings import SettingsChange
    from desktop_app.views.sources import (
        Backtests,
        Deliveries,
        Plugins,
        SettingsEditor,
        ThresholdEditor,
        Webhooks,
    )

BACKTEST_DAYS = 7
INTEGER_THRESHOLDS = {"consecutive_errors_threshold", "for_samples"}


def tr(text: str) -> str:
    return QCoreApplication.translate("Settings", text)


@dataclass(frozen=True)
class SettingsParts:
    """What the Settings page changes and replays."""

    settings: SettingsEditor
    thresholds: ThresholdEditor
    registry: Plugins
    backtests: Backtests
    webhooks: Webhooks
    webhook_delivery: Deliveries


class SettingsPage(QWidget):
    status_message = Signal(str)
    tray_level_changed = Signal(object)
    tray_recoveries_changed = Signal(bool)
    sound_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.parts: SettingsParts | None = None  # given by attach() once the monitor runs
        body = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
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
        layout.addLayout(self._thresholds_form())
        layout.addWidget(QLabel(f"<h3>{tr('Notifications and API')}</h3>"))
        below = QHBoxLayout()
        below.addLayout(self._other_settings_form())
        self.webhooks = WebhooksPanel()
        self.webhooks.status_message.connect(self.status_message)
        below.addWidget(self.webhooks, 1)
        layout.addLayout(below)
        layout.addWidget(QLabel(f"<h3>{tr('Backups')}</h3>"))
        self.backups = BackupSettingsForm()
        layout.addWidget(self.backups)
        layout.addStretch(1)
        self._footer(outer)
        self.autostart.problem.connect(self.problem.setText)

    def _footer(self, outer: QVBoxLayout) -> None:
        """Below the scrolled settings, always in sight: what is wrong, and the buttons."""
        footer = QVBoxLayout()
        footer.setContentsMargins(9, 0, 9, 9)
        outer.addLayout(footer)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c81d25;")
        self.problem.setWordWrap(True)
        footer.addWidget(self.problem)
        self.backtest_result = QLabel()
        self.backtest_result.setWordWrap(True)
        footer.addWidget(self.backtest_result)
        buttons = QHBoxLayout()
        self.backtest_button = QPushButton(tr("Backtest on the last 7 days"))
        self.backtest_button.setToolTip(
            tr("Replay the stored samples through these thresholds without saving them")
        )
        self.backtest_button.clicked.connect(self.backtest)
        buttons.addWidget(self.backtest_button)
        buttons.addStretch(1)
        self.apply_button = QPushButton(tr("Apply"))
        self.apply_button.clicked.connect(self.apply)
        buttons.addWidget(self.apply_button)
        footer.addLayout(buttons)

    def _thresholds_form(self) -> QFormLayout:
        form = QFormLayout()
        self.fields: dict[str, QSpinBox | QDoubleSpinBox] = {}
        box: QSpinBox | QDoubleSpinBox
        for name in THRESHOLD_NAMES:
            key = f"thresholds.{name}"
            box = int_box(key) if name in INTEGER_THRESHOLDS else number_box(key)
            box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.PlusMinus)
            box.valueChanged.connect(lambda *_: self._check())
            self.fields[name] = box
            doc = THRESHOLD_DOCS[name][1]
            form.addRow(tr(doc[0].upper() + doc[1:]), box)
        self.interval = number_box("collection.interval", " s")
        form.addRow(tr("Collection interval"), self.interval)
        return form

    def _other_settings_form(self) -> QFormLayout:
        others = QFormLayout()
        self.tray_level = QComboBox()
        for level in AlertLevel:
            self.tray_level.addItem(tr(level.label), level)
        self.tray_level.setMaximumWidth(180)
        others.addRow(tr("Tray messages from level"), self.tray_level)
        self.tray_recoveries = QCheckBox(tr("Recoveries in the tray too"))
        others.addRow("", self.tray_recoveries)
        self.sound = QCheckBox(tr("Sound for critical alerts"))
        self.sound_backend = QLabel()
        self.sound_backend.setWordWrap(True)
        others.addRow("", self.sound)
        others.addRow("", self.sound_backend)
        self.autostart = AutostartBox()
        self.autostart.status_message.connect(self.status_message)
        others.addRow("", self.autostart)
        self.throttle = number_box("alerts.throttle_seconds", " s")
        others.addRow(tr("Repeat notifications no sooner than"), self.throttle)
        self.api_port = int_box("api.port")
        self.ws_port = int_box("api.ws_port")
        others.addRow(tr("API port (from the next start)"), self.api_port)
        others.addRow(tr("WebSocket port (from the next start)"), self.ws_port)
        return others

    def set_plugins(self, keys: list[str]) -> None:
        known = {self.scope.itemData(i) for i in range(self.scope.count())}
        for key in keys:
            if key not in known:
                self.scope.addItem(key, key)

    def attach(self, parts: SettingsParts) -> None:
        self.parts = parts
        self.webhooks.attach(parts.webhooks, parts.webhook_delivery)

    def load(self) -> None:
        if self.parts is None:
            return
        plugin = self.scope.currentData()
        thresholds = self.parts.thresholds
        values = thresholds.effective(plugin) if plugin else thresholds.global_values
        for name, box in self.fields.items():
            box.blockSignals(True)
            box.setValue(getattr(values, name))
            box.blockSignals(False)
        settings = self.parts.settings.current
        self.interval.setValue(settings.collection_interval)
        self.interval.setEnabled(plugin is None)
        self.tray_level.setCurrentIndex(
            self.tray_level.findData(AlertLevel.parse(settings.console.tray_level))
        )
        self.tray_recoveries.setChecked(settings.console.tray_recoveries)
        self.sound.setChecked(settings.console.sound)
        self.throttle.setValue(settings.throttle_seconds)
        self.backups.load(settings.backup)
        saved = self.parts.settings.saved()  # ports apply from the next start
        self.api_port.setValue(saved["api.port"])
        self.ws_port.setValue(saved["api.ws_port"])
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

    def backtest(self) -> None:
        """How many alerts the values in the form would have raised last week,
        for the chosen plugin or every plugin, next to the saved values."""
        if self.parts is None or not self._check():
            return
        parts = self.parts
        plugin = self.scope.currentData()
        values = {
            name: int(value) if name in INTEGER_THRESHOLDS else value
            for name, value in self._values().items()
        }
        keys = [plugin] if plugin else [p.key for p in parts.registry.all()]
        self.backtest_button.setEnabled(False)
        self.backtest_result.setText(tr("Replaying the last 7 days…"))

        def work() -> Backtest:
            thresholds = parts.thresholds
            plugins = [
                (key, plugin_id, thresholds.proposed(key, values), thresholds.effective(key))
                for key in keys
                if (plugin_id := parts.registry.id_for(key)) is not None
            ]
            replay = parts.backtests.submit(plugins, days=BACKTEST_DAYS, now=time.time())
            return replay.result()

        def done(result: Backtest) -> None:
            self.backtest_button.setEnabled(True)
            self.backtest_result.setText(
                tr(
                    "Over the last 7 days ({samples} samples) these values would have raised "
                    "{proposed} alerts; the saved values raised {current}."
                ).format(
                    samples=result.samples,
                    proposed=result.proposed.total,
                    current=result.current.total,
                )
            )

        def failed(message: str) -> None:
            self.backtest_button.setEnabled(True)
            self.backtest_result.setText(message)

        run_in_background(work, done, failed, owner=self)

    def apply(self) -> None:
        """Save the form through the one settings path (checked, written, applied
        live, audited), off the UI thread."""
        if self.parts is None or not self._check():
            return
        parts = self.parts
        plugin = self.scope.currentData()
        thresholds = parts.thresholds
        values = {
            name: int(value) if name in INTEGER_THRESHOLDS else value
            for name, value in self._values().items()
        }
        level = self.tray_level.currentData()
        wanted: dict[str, object] = {
            "console.tray_level": level.label,
            "console.tray_recoveries": self.tray_recoveries.isChecked(),
            "console.sound": self.sound.isChecked(),
            "alerts.throttle_seconds": self.throttle.value(),
            "api.port": self.api_port.value(),
            "api.ws_port": self.ws_port.value(),
            **self.backups.values(),
        }
        if plugin is None:
            wanted["collection.interval"] = self.interval.value()
            wanted.update({f"thresholds.{name}": value for name, value in values.items()})

        def save() -> SettingsChange:
            from desktop_app.services.thresholds import ThresholdChange

            if plugin is not None:
                current = thresholds.effective(plugin)
                changes = [
                    ThresholdChange(name, value, plugin)
                    for name, value in values.items()
                    if value != getattr(current, name)
                ]
                thresholds.update(changes, actor=console_actor())
            return parts.settings.apply(wanted, actor=console_actor())

        def saved(result: SettingsChange) -> None:
            self.tray_level_changed.emit(level)
            self.tray_recoveries_changed.emit(wanted["console.tray_recoveries"])
            self.sound_changed.emit(wanted["console.sound"])
            message = tr("Settings applied ({n} changed)").format(n=len(result.changed))
            if result.restart_required:
                message += " " + tr("{keys} apply from the next start").format(
                    keys=", ".join(result.restart_required)
                )
            self.status_message.emit(message)

        run_in_background(save, saved, self.problem.setText, owner=self)
