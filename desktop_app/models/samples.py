"""A sample: every standard metric of one plugin at one moment (a wide row)."""

from __future__ import annotations

from dataclasses import dataclass, field

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
