"""The one way core events reach widgets: Qt signals, queued to the UI thread.

The bus and the writer call these slots on their own threads; emitting a
signal of a QObject that lives in the UI thread queues the call there, so no
widget is ever touched from another thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop_app.models.alerts import AlertEvent
from desktop_app.models.samples import Sample, SampleBlock

if TYPE_CHECKING:
    from desktop_app.services.runtime import PluginMonitor
    from desktop_app.views.sources import ShownMonitor


class CoreBridge(QObject):
    alert = Signal(object)  # AlertEvent
    samples = Signal(object)  # list[Sample], one committed group
    problem = Signal(object)  # Problem: an invalid settings edit, an uncaught error
    host = Signal(object)  # HostPoint: the live host view, every second
    replaced = Signal(str)  # why the data was replaced (a restore), once taken up

    def __init__(self) -> None:
        super().__init__()
        self._unsubscribe: list[Callable[[], None]] = []

    def connect_monitor(self, monitor: ShownMonitor) -> None:
        """Alerts, samples and problems: what every monitor tells."""
        self._unsubscribe = [
            monitor.bus.subscribe(self._on_alert),
            monitor.samples_bus.subscribe(self._on_samples),
            monitor.problems.subscribe(self.problem.emit),
        ]

    def connect_embedded(self, monitor: PluginMonitor) -> None:
        """The embedded monitor's, and its live host view and restores too."""
        self.connect_monitor(monitor)
        self._unsubscribe += [
            monitor.host_bus.subscribe(self.host.emit),
            monitor.replaced.subscribe(self.replaced.emit),
        ]

    def disconnect_monitor(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []

    def _on_alert(self, event: AlertEvent) -> None:
        self.alert.emit(event)

    def _on_samples(self, samples: Sequence[Sample]) -> None:
        self.samples.emit(shown_samples(samples))


# Samples of one columnar block the console draws at most: a block of 10,000
# made into objects on the writer's thread cost it 11 ms, and drawing every one
# a frame's worth of the UI's time; charts of a block that dense show its shape.
LIVE_POINTS = 300


def shown_samples(samples: Sequence[Sample]) -> list[Sample]:
    """Every loose sample; of a block, evenly spaced ones and its newest."""
    if not isinstance(samples, SampleBlock) or len(samples) <= LIVE_POINTS:
        return list(samples)
    times = samples.times
    picked = set(range(0, len(times), -(-len(times) // LIVE_POINTS)))
    picked.add(max(range(len(times)), key=times.__getitem__))
    return [samples.sample(i) for i in sorted(picked)]
