"""A sample: every standard metric of one plugin at one moment (a wide row)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from desktop_app.models.metrics import COLUMNS

# Standard metric columns with their units, in storage order (from the metric
# catalogue). Collectors and the API fill whichever they know; the rest stay None.
STANDARD_METRICS: dict[str, str] = {metric.name: metric.unit for metric in COLUMNS}


@dataclass(slots=True)
class Sample:
    """One plugin's metrics at `ts` (UTC seconds since the epoch).

    Byte counters hold what moved since the plugin's previous sample, so they
    add up over any window. `failed` marks a sample in which the plugin could
    not be reached or every request it reported failed. `extras` carries custom
    metrics and `response_times` per-request seconds, each in a narrow side table.
    """

    plugin_key: str
    ts: float
    cpu_percent: float | None = None
    memory_percent: float | None = None
    memory_rss: float | None = None
    memory_vms: float | None = None
    response_time: float | None = None
    error_count: float | None = None
    request_count: float | None = None
    connections_active: float | None = None
    connections_total: float | None = None
    threads: float | None = None
    disk_read_bytes: float | None = None
    disk_write_bytes: float | None = None
    net_recv_bytes: float | None = None
    net_sent_bytes: float | None = None
    failed: bool = False
    extras: dict[str, float] = field(default_factory=dict)
    response_times: list[float] = field(default_factory=list)
    # Pushed in a batch marked "backfill": history, whose alerts are recorded
    # as historical and never change the present.
    backfill: bool = False

    @property
    def is_failure(self) -> bool:
        """True when the plugin was unreachable or nothing it did succeeded."""
        if self.failed:
            return True
        errors = self.error_count or 0
        return errors > 0 and errors >= (self.request_count or 0)

    @property
    def error_rate(self) -> float | None:
        """Errors as a percentage of requests; None when the sample has neither."""
        if self.request_count is None and self.error_count is None:
            return None
        requests = self.request_count or 0
        errors = self.error_count or 0
        if requests <= 0:
            return 100.0 if errors > 0 else 0.0
        return min(100.0, 100.0 * errors / requests)


# Names the API and exports use where they differ from the stored columns
# (the operator guide's `cpu_usage`, `memory_usage`).
PUBLIC_NAMES: dict[str, str] = {m.name: m.wire for m in COLUMNS if m.wire != m.name}


def public_name(metric: str) -> str:
    return PUBLIC_NAMES.get(metric, metric)


class SampleBlock(Sequence[Sample]):
    """One plugin's samples as columns, as the columnar route and forwarding
    agents send them: a list per metric instead of an object per sample.

    The writer, the alert engine and the exposition read the columns in bulk
    (a `Sample` object costs 1.1 µs to build, a quarter of a sample's budget at
    250,000 samples/s); anything else may read it as a sequence of samples,
    built once on first use.
    """

    __slots__ = (
        "_samples",
        "backfill",
        "derived",
        "extras",
        "failed",
        "plugin_key",
        "times",
        "values",
    )

    def __init__(
        self,
        plugin_key: str,
        times: list[float],
        values: dict[str, list[float | None]],
        *,
        failed: list[bool] | None = None,
        extras: dict[str, list[float | None]] | None = None,
        backfill: bool = False,
    ) -> None:
        self.plugin_key = plugin_key
        self.times = times  # UTC seconds
        self.values = values  # by stored column name (`cpu_percent`), None where missing
        self.failed = failed
        self.extras = extras or {}  # custom metrics by name
        self.backfill = backfill
        # Forms of the columns worked out once for every reader (numpy arrays).
        self.derived: dict[str, Any] = {}
        self._samples: list[Sample] | None = None

    def __len__(self) -> int:
        return len(self.times)

    @overload
    def __getitem__(self, index: int) -> Sample: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Sample]: ...

    def __getitem__(self, index: int | slice) -> Sample | Sequence[Sample]:
        return self.samples()[index]

    def __iter__(self) -> Iterator[Sample]:
        return iter(self.samples())

    def samples(self) -> list[Sample]:
        if self._samples is None:
            self._samples = [self.sample(i) for i in range(len(self.times))]
        return self._samples

    def sample(self, i: int) -> Sample:
        """The block's `i`-th sample, built alone."""
        sample = Sample(self.plugin_key, self.times[i], backfill=self.backfill)
        for name, column in self.values.items():
            setattr(sample, name, column[i])
        if self.failed is not None:
            sample.failed = self.failed[i]
        sample.extras = {
            name: value for name, column in self.extras.items() if (value := column[i]) is not None
        }
        return sample


def newest_by_plugin(samples: Sequence[Sample]) -> dict[str, float]:
    """Each plugin's newest sample time."""
    if isinstance(samples, SampleBlock):
        return {samples.plugin_key: max(samples.times)} if samples.times else {}
    latest: dict[str, float] = {}
    for sample in samples:
        if sample.ts > latest.get(sample.plugin_key, 0.0):
            latest[sample.plugin_key] = sample.ts
    return latest


def moments(samples: Sequence[Sample]) -> Iterator[tuple[str, float]]:
    """Each sample's plugin and time, without building a block's samples."""
    if isinstance(samples, SampleBlock):
        key = samples.plugin_key
        return ((key, ts) for ts in samples.times)
    return ((sample.plugin_key, sample.ts) for sample in samples)
