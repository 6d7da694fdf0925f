"""The host's CPU, memory, disk I/O and network on the dashboard: drawn every
second by the live host view, from the stored quarter hour at start, and by
the stored host samples until the live view speaks."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGridLayout, QWidget

from desktop_app.models.metrics import Display
from desktop_app.models.samples import Sample
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.collectors.live_host import HostPoint
from desktop_app.views.charts import LiveChart, show_rule_lines


def tr(text: str) -> str:
    return QCoreApplication.translate("Dashboard", text)


def host_point(sample: Sample, previous_ts: float | None) -> HostPoint | None:
    """A stored host sample as a live-view point: its counters (what moved since
    the previous sample) become bytes per second over the time between them."""
    if sample.cpu_percent is None or sample.memory_percent is None:
        return None
    spent = sample.ts - previous_ts if previous_ts is not None else 0.0

    def rate(*moved: float | None) -> float | None:
        if spent <= 0 or any(value is None for value in moved):
            return None
        return sum(value for value in moved if value is not None) / spent

    return HostPoint(
        sample.ts,
        sample.cpu_percent,
        sample.memory_percent,
        rate(sample.disk_read_bytes, sample.disk_write_bytes),
        rate(sample.net_recv_bytes, sample.net_sent_bytes),
    )


class HostCharts(QWidget):
    def __init__(self) -> None:
        super().__init__()
        charts = QGridLayout(self)
        charts.setContentsMargins(0, 0, 0, 0)
        self.cpu_chart = LiveChart(tr("Host CPU"), "#3b82f6")
        self.memory_chart = LiveChart(tr("Host memory"), "#9b59b6")
        self.disk_chart, self.network_chart = (
            LiveChart(title, colour, display=Display.BYTES, unit="bytes/s", y_range=None)
            for title, colour in ((tr("Host disk I/O"), "#16a34a"), (tr("Host network"), "#e5a000"))
        )
        # Each chart and the host point's field it draws.
        self.charts = {
            "cpu_percent": self.cpu_chart,
            "memory_percent": self.memory_chart,
            "disk_bytes_per_s": self.disk_chart,
            "net_bytes_per_s": self.network_chart,
        }
        for index, chart in enumerate(self.charts.values()):
            chart.setMinimumHeight(150)
            charts.addWidget(chart, index // 2, index % 2)
        self._last_host_ts: float | None = None
        # Once the 1 s live host view speaks, it draws the host charts alone.
        self.live = False

    def set_thresholds(self, values: ThresholdValues) -> None:
        """The host's warning and critical lines, dashed in their level's colour."""
        show_rule_lines(self.charts, values)

    def show_host(self, point: HostPoint) -> None:
        """A reading of the live host view (every second, not stored)."""
        self.live = True
        self._draw(point)

    def _draw(self, point: HostPoint) -> None:
        for field, chart in self.charts.items():
            chart.add(point.ts, getattr(point, field))

    def show_history(self, history: list[Sample], live: list[HostPoint]) -> None:
        """At start: the stored host samples of the last quarter hour, then
        what the live view already has, so the charts never start empty."""
        since = live[0].ts if live else float("inf")
        points = [
            point
            for previous, sample in zip([None, *history], history, strict=False)
            if sample.ts < since
            and (point := host_point(sample, previous.ts if previous else None)) is not None
        ] + live
        for field, chart in self.charts.items():
            pairs = [(p.ts, value) for p in points if (value := getattr(p, field)) is not None]
            chart.set_series([ts for ts, _ in pairs], [value for _, value in pairs])

    def show_stored(self, sample: Sample) -> None:
        """Before the live view speaks, the stored host samples draw the charts."""
        point = host_point(sample, self._last_host_ts)
        self._last_host_ts = sample.ts
        if point is not None and not self.live:
            self._draw(point)
