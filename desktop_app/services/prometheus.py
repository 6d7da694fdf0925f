"""`GET /metrics`: the monitor in Prometheus' text format, for a Prometheus
server (and Grafana over it) as the long-term and fleet view.

Names and units come from the metric catalogue, in Prometheus' base units:
a percentage is a `_ratio` (0 to 1), bytes `_bytes`, a duration `_seconds`.
A gauge is each plugin's newest value by sample time (a late or replayed
sample never changes it). A counter of the catalogue (errors, requests,
bytes moved) is stored as what moved since the plugin's previous sample;
here it adds up since the monitor started, as `_total`, counting each
sample time once, so a retried push never counts twice (Prometheus takes
the restart of a counter in its stride).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
)
from prometheus_client.core import (
    Metric as Family,
)
from prometheus_client.registry import Collector

from desktop_app.models.alerts import Alert
from desktop_app.models.health import HealthSnapshot
from desktop_app.models.levels import AlertLevel
from desktop_app.models.metrics import BY_NAME, Display, Kind, Metric, Source
from desktop_app.models.samples import STANDARD_METRICS, Sample, SampleBlock
from desktop_app.services.block_arrays import arrays_of

PREFIX = "plugin_monitor_"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# The catalogue's unit, as Prometheus' base unit: (suffix, factor).
BASE_UNITS: dict[Display, tuple[str, float]] = {
    Display.PERCENT: ("_ratio", 0.01),
    Display.BYTES: ("_bytes", 1.0),
    Display.SECONDS: ("_seconds", 1.0),
}


def exposed_name(metric: Metric) -> str:
    """`plugin_monitor_cpu_percent_ratio`, `…_memory_rss_bytes`, `…_error_count_total`."""
    suffix, _factor = BASE_UNITS.get(metric.display, ("", 1.0))
    stem = metric.name.removesuffix("_percent").removesuffix("_bytes")
    return f"{PREFIX}{stem}{suffix}{'_total' if metric.kind is Kind.COUNTER else ''}"


EXPOSED: tuple[Metric, ...] = tuple(
    metric for metric in BY_NAME.values() if metric.source is not Source.DERIVED
)


@dataclass
class _Newest:
    ts: float
    value: float


class PluginValues:
    """Each plugin's newest gauges and its counters' totals, from committed samples."""

    def __init__(self) -> None:
        self._gauges: dict[tuple[str, str], _Newest] = {}
        self._totals: dict[tuple[str, str], float] = {}
        self._counted_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def note(self, samples: Sequence[Sample]) -> None:
        """A committed group (the writer's thread): cheap, no I/O."""
        with self._lock:
            if isinstance(samples, SampleBlock):
                if not samples.backfill:
                    self._note_block(samples)
                return
            for sample in samples:
                if not sample.backfill:
                    self._note(sample)

    def _note(self, sample: Sample) -> None:
        fresh = sample.ts > self._counted_until.get(sample.plugin_key, float("-inf"))
        if fresh:
            self._counted_until[sample.plugin_key] = sample.ts
        for name, value in _values(sample):
            metric = BY_NAME.get(name)
            if metric is None:
                continue
            key = (sample.plugin_key, name)
            if metric.kind is Kind.COUNTER:
                if fresh:
                    self._totals[key] = self._totals.get(key, 0.0) + value
                continue
            newest = self._gauges.get(key)
            if newest is None or sample.ts >= newest.ts:
                self._gauges[key] = _Newest(sample.ts, value)

    def _note_block(self, block: SampleBlock) -> None:
        """`_note` for each sample of a block, over arrays (0.3 µs a sample in
        a Python loop, a quarter of the columnar route's budget)."""
        key = block.plugin_key
        times, arrays = arrays_of(block)
        until = self._counted_until.get(key, float("-inf"))
        before = np.maximum.accumulate(np.concatenate(([until], times)))
        fresh = times > before[:-1]
        self._counted_until[key] = float(before[-1])
        extras = {name: np.asarray(column, dtype=float) for name, column in block.extras.items()}
        for name, values in (*arrays.items(), *extras.items()):
            metric = BY_NAME.get(name)
            if metric is None:
                continue
            known = ~np.isnan(values)
            if metric.kind is Kind.COUNTER:
                counted = values[fresh & known]
                if counted.size:
                    self._totals[(key, name)] = self._totals.get((key, name), 0.0) + float(
                        counted.sum()
                    )
                continue
            if known.any():
                stamped = np.where(known, times, -np.inf)
                at = int(np.flatnonzero(stamped == stamped.max())[-1])
                newest = self._gauges.get((key, name))
                if newest is None or times[at] >= newest.ts:
                    self._gauges[(key, name)] = _Newest(float(times[at]), float(values[at]))

    def forget(self, _reason: object = None) -> None:
        """The data was replaced (a restore): its plugins are read afresh."""
        with self._lock:
            self._gauges.clear()
            self._counted_until.clear()

    def snapshot(self) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
        with self._lock:
            gauges = {key: newest.value for key, newest in self._gauges.items()}
            return gauges, dict(self._totals)


def _values(sample: Sample) -> Iterator[tuple[str, float]]:
    for name in STANDARD_METRICS:
        value = getattr(sample, name)
        if value is not None:
            yield name, float(value)
    if sample.extras:
        yield from sample.extras.items()


@dataclass(frozen=True)
class Sources:
    """What a scrape reads, all of it in memory."""

    values: PluginValues
    open_alerts: Callable[[], list[Alert]]
    health: Callable[[], HealthSnapshot]
    commit_seconds: Callable[[], tuple[Sequence[float], Sequence[int], float]]


class _MonitorCollector(Collector):
    def __init__(self, sources: Sources) -> None:
        self._sources = sources

    def collect(self) -> Iterable[Family]:
        yield from self._plugins()
        yield self._open_alerts()
        yield from self._own_health()

    def _plugins(self) -> Iterator[Family]:
        gauges, totals = self._sources.values.snapshot()
        for metric in EXPOSED:
            _suffix, factor = BASE_UNITS.get(metric.display, ("", 1.0))
            counter = metric.kind is Kind.COUNTER
            name = exposed_name(metric)
            help_text = f"{metric.label} ({metric.unit or 'number'}), by plugin"
            family = (
                CounterMetricFamily(name.removesuffix("_total"), help_text, labels=["plugin"])
                if counter
                else GaugeMetricFamily(name, help_text, labels=["plugin"])
            )
            for (plugin, metric_name), value in (totals if counter else gauges).items():
                if metric_name == metric.name:
                    family.add_metric([plugin], value * factor)
            if family.samples:
                yield family

    def _open_alerts(self) -> Family:
        family = GaugeMetricFamily(
            f"{PREFIX}open_alerts", "Alerts open now, by level", labels=["level"]
        )
        alerts = self._sources.open_alerts()
        for level in AlertLevel:
            family.add_metric([level.name.lower()], sum(a.level is level for a in alerts))
        return family

    def _own_health(self) -> Iterator[Family]:
        workers = {worker.name: worker for worker in self._sources.health().workers}
        writer = workers["storage-writer"].details
        yield CounterMetricFamily(
            f"{PREFIX}samples_committed",
            "Samples stored since the monitor started (the ingest rate is its rate())",
            value=float(str(writer["committed_samples"])),
        )
        yield GaugeMetricFamily(
            f"{PREFIX}writer_queue",
            "Items waiting for the database writer",
            value=float(str(writer["queue_depth"])),
        )
        bounds, counts, total = self._sources.commit_seconds()
        cumulative, buckets = 0, []
        for bound, count in zip((*bounds, float("inf")), counts, strict=True):
            cumulative += count
            buckets.append(("+Inf" if bound == float("inf") else f"{bound:g}", cumulative))
        yield HistogramMetricFamily(
            f"{PREFIX}commit_seconds",
            "Time to commit one group of writes",
            buckets=buckets,
            sum_value=total,
        )
        engine = workers.get("alert-engine")
        if engine is not None:
            yield GaugeMetricFamily(
                f"{PREFIX}engine_backlog",
                "Committed groups waiting for the alert engine",
                value=float(str(engine.details["backlog"])),
            )
        collector = workers.get("collector")
        if collector is not None and collector.details.get("last_cycle_seconds") is not None:
            yield GaugeMetricFamily(
                f"{PREFIX}collector_seconds",
                "How long the last collection took",
                value=float(str(collector.details["last_cycle_seconds"])),
            )


class MetricsPage:
    """The text of `/metrics`, made at each scrape."""

    def __init__(self, sources: Sources) -> None:
        self._registry = CollectorRegistry(auto_describe=False)
        self._registry.register(_MonitorCollector(sources))

    def render(self) -> bytes:
        return generate_latest(self._registry)
