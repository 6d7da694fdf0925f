"""The bodies plugins push (R4, R11), and how they become samples.

They are TypedDicts checked by pydantic-core in one pass over the raw bytes:
for a batch of thousands of samples, plain dicts cost a third of what model
objects do. Field names follow the operator guide (`cpu_usage`,
`memory_usage`, …); unknown fields are refused so a typo is reported instead
of silently dropped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, NotRequired

from pydantic import ConfigDict, Field, PlainValidator, TypeAdapter, with_config
from typing_extensions import TypedDict

from desktop_app.models.samples import Sample
from desktop_app.services.api.schemas import PluginId

Percent = Annotated[float, Field(ge=0, le=100)]
Count = Annotated[float, Field(ge=0, le=1e15)]
Bytes = Annotated[float, Field(ge=0, le=1e18)]
MAX_RESPONSE_TIMES = 10_000
MAX_BATCH = 50_000
EARLIEST_MOMENT = datetime(1970, 1, 2, tzinfo=UTC)
LATEST_MOMENT = datetime(2100, 1, 1, tzinfo=UTC)
EARLIEST, LATEST = EARLIEST_MOMENT.timestamp(), LATEST_MOMENT.timestamp()
OUT_OF_RANGE = "must be between 1970-01-02 and 2100-01-01"
# strict: "50" and true are not numbers (JSON numbers only; ISO times stay text)
STRICT = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)


def epoch_seconds(value: object) -> float:
    """Numbers are epoch seconds already (the cheap path for batches); text
    is ISO 8601, taken as UTC when it names no zone."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("must be epoch seconds or an ISO 8601 time") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        if not EARLIEST_MOMENT <= moment < LATEST_MOMENT:
            raise ValueError(OUT_OF_RANGE)
        seconds = moment.timestamp()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    else:
        raise ValueError("must be epoch seconds or an ISO 8601 time")
    if not EARLIEST <= seconds < LATEST:
        raise ValueError(OUT_OF_RANGE)
    return seconds


@with_config(STRICT)
class Metrics(TypedDict, total=False):
    """The guide's five metrics plus the optional detailed ones."""

    cpu_usage: Annotated[float, Field(ge=0, le=100_000, description="CPU %, 100 = one core")]
    memory_usage: Percent
    response_time: Annotated[float, Field(ge=0, le=86_400, description="seconds")]
    error_count: Count
    request_count: Count
    memory_rss: Bytes
    memory_vms: Bytes
    response_times: Annotated[
        list[Annotated[float, Field(ge=0, le=86_400)]],
        Field(max_length=MAX_RESPONSE_TIMES, description="per-request seconds"),
    ]
    connections_active: Count
    connections_total: Count
    threads: Count
    disk_read_bytes: Bytes
    disk_write_bytes: Bytes
    net_recv_bytes: Bytes
    net_sent_bytes: Bytes
    failed: bool
    custom: Annotated[
        dict[Annotated[str, Field(min_length=1, max_length=100)], float], Field(max_length=100)
    ]


@with_config(STRICT)
class MetricsPush(TypedDict):
    plugin_id: PluginId
    metrics: Metrics
    timestamp: NotRequired[
        Annotated[
            float,
            PlainValidator(epoch_seconds, json_schema_input_type=float | datetime),
            Field(
                description="when measured (ISO 8601, UTC if no zone, or epoch seconds); "
                "default: now"
            ),
        ]
    ]


@with_config(STRICT)
class BatchPush(TypedDict):
    samples: Annotated[list[MetricsPush], Field(min_length=1, max_length=MAX_BATCH)]
    backfill: NotRequired[
        Annotated[
            bool,
            Field(
                description="history: stored and analysed; its alerts are recorded as "
                "historical, never notified, and never change open alerts (every sample "
                "needs its timestamp)"
            ),
        ]
    ]


PUSH: TypeAdapter[MetricsPush] = TypeAdapter(MetricsPush)
BATCH: TypeAdapter[BatchPush] = TypeAdapter(BatchPush)


def sample_from(push: MetricsPush, ts: float) -> Sample:
    m: dict[str, Any] = push["metrics"]  # type: ignore[assignment]
    get = m.get
    times = get("response_times")
    response_time = get("response_time")
    if response_time is None and times:
        response_time = sum(times) / len(times)
    sample = Sample(
        push["plugin_id"],
        ts,
        get("cpu_usage"),
        get("memory_usage"),
        get("memory_rss"),
        get("memory_vms"),
        response_time,
        get("error_count"),
        get("request_count"),
        get("connections_active"),
        get("connections_total"),
        get("threads"),
        get("disk_read_bytes"),
        get("disk_write_bytes"),
        get("net_recv_bytes"),
        get("net_sent_bytes"),
        get("failed", False),
    )
    if custom := get("custom"):
        sample.extras = custom
    if times:
        sample.response_times = times
    return sample
