"""Request and response bodies. Field names follow the operator guide
(`cpu_usage`, `memory_usage`, …); unknown fields are refused so a typo is
reported instead of silently dropped."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from desktop_app.models.alerts import Alert, AlertEvent
from desktop_app.models.plugins import PluginInfo
from desktop_app.models.samples import Sample
from desktop_app.services.plugins.manifest import PLUGIN_KEY_PATTERN

PluginId = Annotated[
    str,
    Field(
        pattern=PLUGIN_KEY_PATTERN.pattern,
        description="1-100 letters, digits, '_', '.' or '-', starting with a letter or digit",
        examples=["my_plugin"],
    ),
]
Percent = Annotated[float, Field(ge=0, le=100)]
Count = Annotated[float, Field(ge=0, le=1e15)]
Bytes = Annotated[float, Field(ge=0, le=1e18)]
MAX_RESPONSE_TIMES = 10_000
MAX_BATCH = 50_000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class RegisterPlugin(Strict):
    plugin_id: PluginId
    plugin_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class Metrics(Strict):
    """The guide's five metrics plus the optional detailed ones (R11)."""

    cpu_usage: (
        Annotated[float, Field(ge=0, le=100_000, description="CPU %, 100 = one core")] | None
    ) = None
    memory_usage: Percent | None = None
    response_time: Annotated[float, Field(ge=0, le=86_400, description="seconds")] | None = None
    error_count: Count | None = None
    request_count: Count | None = None
    memory_rss: Bytes | None = None
    memory_vms: Bytes | None = None
    response_times: (
        Annotated[
            list[Annotated[float, Field(ge=0, le=86_400)]],
            Field(max_length=MAX_RESPONSE_TIMES, description="per-request seconds"),
        ]
        | None
    ) = None
    connections_active: Count | None = None
    connections_total: Count | None = None
    threads: Count | None = None
    disk_read_bytes: Bytes | None = None
    disk_write_bytes: Bytes | None = None
    net_recv_bytes: Bytes | None = None
    net_sent_bytes: Bytes | None = None
    failed: bool = False
    custom: (
        Annotated[
            dict[Annotated[str, Field(min_length=1, max_length=100)], float],
            Field(max_length=100),
        ]
        | None
    ) = None


EARLIEST = datetime(1970, 1, 2, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


class MetricsPush(Strict):
    plugin_id: PluginId
    metrics: Metrics
    timestamp: datetime | None = Field(
        default=None,
        description="when measured (ISO 8601, UTC if no zone, or epoch seconds); default: now",
    )

    @field_validator("timestamp")
    @classmethod
    def _plausible(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        if not EARLIEST <= value < LATEST:
            raise ValueError("must be between 1970-01-02 and 2100-01-01")
        return value


class BatchPush(Strict):
    samples: Annotated[list[MetricsPush], Field(min_length=1, max_length=MAX_BATCH)]


def sample_from(push: MetricsPush, ts: float) -> Sample:
    m = push.metrics
    response_time = m.response_time
    if response_time is None and m.response_times:
        response_time = sum(m.response_times) / len(m.response_times)
    return Sample(
        plugin_key=push.plugin_id,
        ts=ts,
        cpu_percent=m.cpu_usage,
        memory_percent=m.memory_usage,
        memory_rss=m.memory_rss,
        memory_vms=m.memory_vms,
        response_time=response_time,
        error_count=m.error_count,
        request_count=m.request_count,
        connections_active=m.connections_active,
        connections_total=m.connections_total,
        threads=m.threads,
        disk_read_bytes=m.disk_read_bytes,
        disk_write_bytes=m.disk_write_bytes,
        net_recv_bytes=m.net_recv_bytes,
        net_sent_bytes=m.net_sent_bytes,
        failed=m.failed,
        extras=dict(m.custom or {}),
        response_times=list(m.response_times or ()),
    )


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="microseconds")


class StoredAck(BaseModel):
    status: Literal["stored"] = "stored"
    plugin_id: str | None = None
    samples: int
    timestamp: str | None = None


class PluginOut(BaseModel):
    plugin_id: str
    plugin_name: str
    source: str
    enabled: bool
    created_at: str | None
    last_seen: str | None
    process: dict[str, Any] | None = None
    open_alerts: int = 0
    worst_level: str | None = None

    @classmethod
    def of(cls, info: PluginInfo, open_alerts: list[Alert]) -> PluginOut:
        mine = [a for a in open_alerts if a.plugin_key == info.key]
        process = None
        if info.process is not None:
            process = {"pid": info.process.pid, "name": info.process.name}
        return cls(
            plugin_id=info.key,
            plugin_name=info.name,
            source=info.source.value,
            enabled=info.enabled,
            created_at=iso(info.created_at),
            last_seen=iso(info.last_seen),
            process=process,
            open_alerts=len(mine),
            worst_level=max(mine, key=lambda a: a.level).level.label if mine else None,
        )


class RegisteredOut(BaseModel):
    created: bool
    plugin: PluginOut


class AlertOut(BaseModel):
    id: int
    plugin_id: str
    rule: str
    level: str
    status: str
    message: str
    value: float | None
    threshold: float | None
    started_at: str | None
    updated_at: str | None
    occurrences: int
    resolved_at: str | None
    resolved_by: str | None
    acknowledged_at: str | None
    acknowledged_by: str | None
    comment: str | None

    @classmethod
    def of(cls, alert: Alert) -> AlertOut:
        return cls(
            id=alert.id,
            plugin_id=alert.plugin_key,
            rule=alert.rule,
            level=alert.level.label,
            status=alert.status.value,
            message=alert.message,
            value=alert.value,
            threshold=alert.threshold,
            started_at=iso(alert.started_at),
            updated_at=iso(alert.updated_at),
            occurrences=alert.occurrences,
            resolved_at=iso(alert.resolved_at),
            resolved_by=alert.resolved_by,
            acknowledged_at=iso(alert.acknowledged_at),
            acknowledged_by=alert.acknowledged_by,
            comment=alert.comment,
        )


class AlertPage(BaseModel):
    alerts: list[AlertOut]
    next_cursor: str | None = Field(description="pass as cursor= for the next page; null: no more")


class AlertAction(Strict):
    comment: Annotated[str, Field(max_length=2000)] | None = None


class AlertEventOut(BaseModel):
    type: Literal["alert"] = "alert"
    seq: int
    event: str
    at: str | None
    actor: str | None
    notify: bool
    alert: AlertOut

    @classmethod
    def of(cls, event: AlertEvent) -> AlertEventOut:
        return cls(
            seq=event.seq,
            event=event.kind.value,
            at=iso(event.at),
            actor=event.actor,
            notify=event.notify,
            alert=AlertOut.of(event.alert),
        )


class SampleOut(BaseModel):
    timestamp: str | None
    cpu_usage: float | None
    memory_usage: float | None
    response_time: float | None
    error_count: float | None
    request_count: float | None
    memory_rss: float | None
    memory_vms: float | None
    connections_active: float | None
    connections_total: float | None
    threads: float | None
    disk_read_bytes: float | None
    disk_write_bytes: float | None
    net_recv_bytes: float | None
    net_sent_bytes: float | None
    failed: bool


class MetricsWindow(BaseModel):
    plugin_id: str
    hours: int
    samples: list[SampleOut]


class ThresholdsOut(BaseModel):
    global_: dict[str, float] = Field(alias="global")
    plugins: dict[str, dict[str, float]]

    model_config = ConfigDict(populate_by_name=True)


class ThresholdsUpdate(Strict):
    global_: dict[str, int | float] | None = Field(default=None, alias="global")
    plugins: dict[PluginId, dict[str, int | float | None]] | None = None

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, populate_by_name=True)


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    uptime_seconds: float
    monitoring: bool
    plugins: int
    open_alerts: int
    database: dict[str, Any]
    writer: dict[str, Any]


class StatusOut(BaseModel):
    authenticated: bool
    name: str
    role: str
    key_id: int | None


class ErrorOut(BaseModel):
    detail: str
    errors: list[dict[str, str]] | None = None


class PluginActionOut(BaseModel):
    plugin_id: str
    enabled: bool
    detail: str


class StopAllOut(BaseModel):
    stopped: list[str]
    detail: str


_ERROR_MEANINGS = {
    400: "malformed JSON",
    401: "no API key, or an unknown or revoked one",
    403: "the key's role may not do this",
    404: "no such plugin or alert",
    409: "not possible in the plugin's current state",
    413: "the body is larger than api.max_body_bytes",
    422: "a field is wrong; `errors` names each one",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the errors a route can answer with."""
    return {code: {"model": ErrorOut, "description": _ERROR_MEANINGS[code]} for code in codes}
