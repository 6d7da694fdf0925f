"""Dashboard: live host charts, a card per plugin, the unread badge and the
guide's Start/Stop monitoring button."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.models.levels import AlertLevel
from desktop_app.models.plugins import SECURITY_PLUGIN_KEY, PluginInfo
from desktop_app.models.samples import Sample
from desktop_app.models.units import NO_VALUE
from desktop_app.services.collectors.system import SYSTEM_PLUGIN_KEY
from desktop_app.views.alert_counts import badge_text
from desktop_app.views.empty_state import EmptyState, first_push_commands
from desktop_app.views.host_charts import HostCharts
from desktop_app.views.plugin_states import TROUBLE_COLOURS, state_text
from desktop_app.views.tasks import run_in_background

if TYPE_CHECKING:
    from desktop_app.services.collectors.live_host import HostPoint
    from desktop_app.views.sources import ShownMonitor
from desktop_app.views.sparkline import Sparkline
from desktop_app.views.style import DISABLED_COLOUR, LEVEL_COLOURS


def tr(text: str) -> str:
    return QCoreApplication.translate("Dashboard", text)


def _fmt(value: float | None, unit: str, digits: int = 1) -> str:
    return NO_VALUE if value is None else f"{value:.{digits}f} {unit}".strip()


class PluginCard(QFrame):
    def __init__(self, info: PluginInfo) -> None:
        super().__init__()
        self.key = info.key
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(230)
        self.setMaximumWidth(380)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        header = QHBoxLayout()
        self.dot = QLabel("●")
        self.title = QLabel(f"<b>{info.name}</b>")
        self.title.setToolTip(info.key)
        self.state = QLabel()
        header.addWidget(self.dot)
        header.addWidget(self.title, 1)
        header.addWidget(self.state)
        layout.addLayout(header)
        grid = QGridLayout()
        self.values: dict[str, QLabel] = {}
        for i, (name, label) in enumerate(
            [
                ("cpu", tr("CPU")),
                ("memory", tr("Memory")),
                ("response", tr("Response")),
                ("errors", tr("Errors")),
            ]
        ):
            caption = QLabel(label)
            caption.setStyleSheet("color: palette(placeholder-text);")
            value = QLabel(NO_VALUE)
            grid.addWidget(caption, i // 2, (i % 2) * 2)
            grid.addWidget(value, i // 2, (i % 2) * 2 + 1)
            self.values[name] = value
        layout.addLayout(grid)
        self.sparkline = Sparkline()
        layout.addWidget(self.sparkline)
        self.process_missing = False  # its process was not found at the last collection
        self.process_state: str | None = None  # the supervisor's, for a plugin it runs
        self.has_sample = False
        self._state: tuple[bool, AlertLevel | None, float | None] = (info.enabled, None, None)
        self._shown: tuple[bool, AlertLevel | None, float | None, bool, str | None] | None = None
        self.set_state(info.enabled, None)

    def set_state(
        self, enabled: bool, worst: AlertLevel | None, silent_since: float | None = None
    ) -> None:
        """The plugin's state; a silent plugin is grey and says since when, as
        its last values are no longer news, and so is one whose process is gone."""
        self._state = (enabled, worst, silent_since)
        shown = (*self._state, self.process_missing, self.process_state)
        if self._shown == shown:
            return  # style sheets are costly; storms repeat the same state
        self._shown = shown
        quiet = not enabled or silent_since is not None or self.process_missing
        colour = DISABLED_COLOUR if quiet else LEVEL_COLOURS[worst]
        trouble = self.process_state in TROUBLE_COLOURS and enabled
        self.dot.setStyleSheet(f"color: {colour}; font-size: 16px;")
        if not enabled:
            text = tr("disabled")
        elif trouble:
            assert self.process_state is not None
            text, colour = state_text(self.process_state), TROUBLE_COLOURS[self.process_state]
        elif self.process_missing:
            text = tr("process not found")
        elif silent_since is not None:
            since = time.strftime("%H:%M", time.localtime(silent_since))
            text = tr("no data since {time}").format(time=since)
        else:
            text = tr(worst.label if worst else "ok")
        self.state.setText(text)
        self.state.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def show_sample(self, sample: Sample) -> None:
        self.has_sample = True
        self.sparkline.setToolTip(
            tr("Last sample {time}").format(
                time=time.strftime("%H:%M:%S", time.localtime(sample.ts))
            )
        )
        self.values["cpu"].setText(_fmt(sample.cpu_percent, "%"))
        self.values["memory"].setText(_fmt(sample.memory_percent, "%"))
        self.values["response"].setText(_fmt(sample.response_time, "s", 2))
        self.values["errors"].setText(_fmt(sample.error_rate, "%"))
        self.sparkline.update()


class Dashboard(QWidget):
    monitoring_toggled = Signal(bool)
    open_alerts = Signal()

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        heading = QLabel(f"<h2>{tr('Dashboard')}</h2>")
        self.badge = QPushButton()
        self.badge.setFlat(True)
        self.badge.clicked.connect(self.open_alerts.emit)
        self.toggle = QPushButton(tr("Start monitoring"))
        self.toggle.setCheckable(True)
        self.toggle.setMinimumWidth(160)
        self.toggle.toggled.connect(self._toggled)
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.badge)
        top.addWidget(self.toggle)
        layout.addLayout(top)
        self.host = HostCharts()
        layout.addWidget(self.host, 2)
        self._pending: dict[str, Sample] = {}  # newest sample per card, not yet shown
        cards_host = QWidget()
        self.cards_layout = QGridLayout(cards_host)
        self.cards_layout.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(cards_host)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.empty = EmptyState(
            tr("No plugin reports yet"),
            tr(
                "Plugins push their metrics to this console's API, and plugin folders "
                "with a plugin.toml are found at start. To try it, create a key and push "
                "a first sample:"
            ),
        )
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        self.cards: dict[str, PluginCard] = {}
        self.set_alerts({}, 0)

    def _toggled(self, on: bool) -> None:
        self.toggle.setText(tr("Stop monitoring") if on else tr("Start monitoring"))
        self.monitoring_toggled.emit(on)

    def set_monitoring(self, on: bool) -> None:
        self.toggle.blockSignals(True)
        self.toggle.setChecked(on)
        self.toggle.setText(tr("Stop monitoring") if on else tr("Start monitoring"))
        self.toggle.blockSignals(False)

    def set_alerts(self, counts: dict[AlertLevel, int], unread: int) -> None:
        """The badge: open alerts by level in the worst level's colour, then
        how many are new; never "no alerts" while one is open."""
        self.badge.setText(badge_text(counts, unread))
        worst = next(iter(counts), None)
        self.badge.setStyleSheet(
            f"color: white; background: {LEVEL_COLOURS[worst]}; "
            "border-radius: 10px; padding: 3px 10px; font-weight: bold;"
            if worst is not None
            else "padding: 3px 10px;"
        )

    def set_plugins(
        self,
        plugins: list[PluginInfo],
        worst: dict[str, AlertLevel],
        silent: dict[str, float] | None = None,
        missing: frozenset[str] = frozenset(),
        processes: Mapping[str, str] | None = None,
    ) -> None:
        """Each plugin's state: its worst open alert, silent since when, whether
        the last collection found its watched process, and the state of the
        process the supervisor runs for it. The security plugin has no card:
        its events are alerts, not values."""
        for info in plugins:
            if info.key == SECURITY_PLUGIN_KEY:
                continue
            card = self.cards.get(info.key)
            if card is None:
                card = PluginCard(info)
                index = len(self.cards)
                self.cards[info.key] = card
                self.cards_layout.addWidget(card, index // 3, index % 3)
            card.process_missing = info.key in missing
            card.process_state = (processes or {}).get(info.key)
            card.set_state(info.enabled, worst.get(info.key), (silent or {}).get(info.key))
            if not card.has_sample and info.key in self._pending:
                card.show_sample(self._pending.pop(info.key))  # a new plugin's first sample
        self.empty.setVisible(not any(key != SYSTEM_PLUGIN_KEY for key in self.cards))

    def set_api(self, url: str | None, data_dir: Path) -> None:
        """The empty state's commands name this console's API and data folder."""
        if url is None:
            self.empty.text.setText(
                tr(
                    "This console runs without its API, so plugins cannot push metrics. "
                    "Put plugin folders with a plugin.toml in the plugins folder, or "
                    "start the console with its API."
                )
            )
        self.empty.set_commands(first_push_commands(url, data_dir) if url else "")

    def load_history(
        self, monitor: ShownMonitor, live: Callable[[], list[HostPoint]] | None = None
    ) -> None:
        """At start, read off the UI thread: the host's stored quarter hour for
        the charts, and each plugin's last sample for its card. `live`: the
        host's points of the last seconds, when the host is this machine."""

        def read() -> tuple[list[Sample], dict[str, Sample]]:
            now, host = time.time(), monitor.registry.id_for(SYSTEM_PLUGIN_KEY)
            stored = (
                []
                if host is None
                else monitor.samples.window(host, SYSTEM_PLUGIN_KEY, now - 900, now)
            )
            return stored, monitor.samples.last_samples(monitor.registry.ids())

        def show(found: tuple[list[Sample], dict[str, Sample]]) -> None:
            stored, last = found
            self.host.show_history(stored, live() if live is not None else [])
            for key, sample in last.items():
                if (card := self.cards.get(key)) is not None:
                    card.show_sample(sample)

        run_in_background(read, show, owner=self)

    def show_samples(self, samples: list[Sample]) -> None:
        """Sparklines take every value; the cards' labels are redrawn by
        `flush_cards` once a second (a card's first sample at once): painting
        every card on each batch took a frame's time at 1,000 samples/s."""
        for sample in samples:
            if sample.plugin_key == SYSTEM_PLUGIN_KEY:
                self.host.show_stored(sample)
            self._pending[sample.plugin_key] = sample
            card = self.cards.get(sample.plugin_key)
            if card is not None and sample.cpu_percent is not None:
                card.sparkline.add(sample.cpu_percent)
        for key in [key for key in self._pending if key in self.cards]:
            if not self.cards[key].has_sample:
                self.cards[key].show_sample(self._pending.pop(key))

    def flush_cards(self) -> None:
        """Each card's newest sample since the last flush."""
        pending, self._pending = self._pending, {}
        for key, sample in pending.items():
            card = self.cards.get(key)
            if card is None:
                self._pending[key] = sample  # its card comes with the next plugin list
            else:
                card.show_sample(sample)
