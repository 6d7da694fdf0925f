"""Request and response bodies. Field names follow the operator guide
(`cpu_usage`, `memory_usage`, …); unknown fields are refused so a typo is
reported instead of silently dropped."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from desktop_app.models.alerts import Alert, AlertEvent, TimelineEntry
from desktop_app.models.levels import AlertLevel
from desktop_app.models.plugins import PluginInfo
from desktop_app.models.supervision import PluginState, PluginStatus
from desktop_app.services.alerts.wording import alert_message, unit_of
from desktop_app.services.plugins.manifest import PLUGIN_KEY_PATTERN

PluginId = Annotated[
    str,
    Field(
        pattern=PLUGIN_KEY_PATTERN.pattern,
        description="1-100 letters, digits, '_', '.' or '-', starting with a letter or digit",
        examples=["my_plugin"],
    ),
]


_LEVELS = "|".join(level.label for level in AlertLevel)
LevelName = Annotated[
    str,
    Field(pattern=f"(?i)^({_LEVELS})$", description="info, warning, error or critical"),
]
LevelList = Annotated[
    str,
    Field(
        pattern=f"(?i)^({_LEVELS})(,({_LEVELS}))*$",
        max_length=100,
        description="comma-separated levels: info, warning, error, critical",
    ),
]
# A time in a query: ISO 8601 (UTC if it names no zone) or whole epoch seconds.
QueryTime = Annotated[
    str,
    Field(
        pattern=r"^([0-9]{1,11}|[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}"
        r"(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?)$",
        max_length=40,
        description="ISO 8601 (UTC if no zone) or whole epoch seconds",
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)


class RegisterPlugin(Strict):
    plugin_id: PluginId
    plugin_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    host: (
        Annotated[
            str,
            Field(
                pattern=PLUGIN_KEY_PATTERN.pattern,
                max_length=100,
                description="the host a forwarding agent sends this plugin from",
            ),
        ]
        | None
    ) = None


_last_second: tuple[int, str] = (-1, "")


def iso(ts: float | None) -> str | None:
    """ISO 8601 in UTC with microseconds. The date and time up to the second
    are kept from the previous call (one tuple, swapped whole, so threads
    never see half of it): pushes arrive many to the second."""
    global _last_second  # noqa: PLW0603 - a one-entry cache
    if ts is None:
        return None
    second, fraction = divmod(round(ts * 1_000_000), 1_000_000)
    cached = _last_second
    if cached[0] != second:
        stamp = datetime.fromtimestamp(second, UTC).isoformat(timespec="seconds")
        cached = _last_second = (second, stamp[:-6])
    return f"{cached[1]}.{fraction:06d}+00:00"


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
    process_found: bool | None = Field(
        default=None,
        description="whether the last collection found its watched process (null: it watches none)",
    )
    host: str | None = Field(
        default=None, description="the host a forwarding agent sends it from (null: not forwarded)"
    )
    open_alerts: int = 0
    worst_level: str | None = None
    control: PluginStateOut | None = Field(
        default=None, description="its state under Plugin Monitor's control (R16)"
    )

    @classmethod
    def of(
        cls,
        info: PluginInfo,
        open_alerts: list[Alert],
        process_found: bool | None = None,
        status: PluginStatus | None = None,
    ) -> PluginOut:
        mine = [a for a in open_alerts if a.plugin_key == info.key]
        process = None
        if info.process is not None:
            process = {
                "pid": info.process.pid,
                "name": info.process.name,
                "cmdline": info.process.cmdline,
            }
        return cls(
            plugin_id=info.key,
            plugin_name=info.name,
            source=info.source.value,
            enabled=info.enabled,
            created_at=iso(info.created_at),
            last_seen=iso(info.last_seen),
            process=process,
            process_found=process_found,
            host=info.host,
            open_alerts=len(mine),
            worst_level=max(mine, key=lambda a: a.level).level.label if mine else None,
            control=PluginStateOut.of(status) if status else None,
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
    message: str = Field(description="in the language of the setting alerts.language (en, ko)")
    value: float | None
    threshold: float | None
    unit: str = Field(description="the unit of value and threshold (empty for a count)")
    started_at: str | None
    updated_at: str | None
    occurrences: int
    resolved_at: str | None
    resolved_by: str | None
    acknowledged_at: str | None
    acknowledged_by: str | None
    comment: str | None
    silenced: bool = Field(
        default=False, description="open and matched by a silence now: shown, not notified"
    )
    flapping: bool = Field(
        default=False, description="changing too often: notifications held until it settles"
    )
    historical: bool = Field(
        default=False,
        description="recorded from a back-filled batch: never notified, never open",
    )

    @classmethod
    def of(cls, alert: Alert, *, language: str, silenced: bool = False) -> AlertOut:
        return cls(
            id=alert.id,
            plugin_id=alert.plugin_key,
            rule=alert.rule,
            level=alert.level.label,
            status=alert.status.value,
            message=alert_message(alert, language),
            value=alert.value,
            threshold=alert.threshold,
            unit=unit_of(alert.rule),
            started_at=iso(alert.started_at),
            updated_at=iso(alert.updated_at),
            occurrences=alert.occurrences,
            resolved_at=iso(alert.resolved_at),
            resolved_by=alert.resolved_by,
            acknowledged_at=iso(alert.acknowledged_at),
            acknowledged_by=alert.acknowledged_by,
            comment=alert.comment,
            silenced=silenced,
            flapping=alert.flapping,
            historical=alert.historical,
        )


class AlertPage(BaseModel):
    alerts: list[AlertOut]
    next_cursor: str | None = Field(description="pass as cursor= for the next page; null: no more")


class AlertAction(Strict):
    comment: Annotated[str, Field(max_length=2000)] | None = None


class TimelineOut(BaseModel):
    event: str = Field(description="raised, escalated, deescalated, acknowledged, resolved, ...")
    level: str
    value: float | None
    at: str | None
    actor: str | None = Field(description="who acted (null: the monitor itself)")
    silenced: bool

    @classmethod
    def of(cls, entry: TimelineEntry) -> TimelineOut:
        return cls(
            event=entry.kind.value,
            level=entry.level.label,
            value=entry.value,
            at=iso(entry.at),
            actor=entry.actor,
            silenced=entry.silenced,
        )


class AlertEventOut(BaseModel):
    type: Literal["alert"] = "alert"
    seq: int
    event: str
    at: str | None
    actor: str | None
    notify: bool
    recovery: bool = Field(
        description="the condition cleared (a resolve): show it as good news, not at the "
        "alert's level"
    )
    silenced: bool = Field(description="a silence matched it: recorded, not notified")
    alert: AlertOut

    @classmethod
    def of(cls, event: AlertEvent, *, language: str) -> AlertEventOut:
        return cls(
            seq=event.seq,
            event=event.kind.value,
            at=iso(event.at),
            actor=event.actor,
            notify=event.notify,
            recovery=event.is_recovery,
            silenced=event.silenced,
            alert=AlertOut.of(event.alert, language=language),
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
    custom: dict[str, float] | None = Field(
        default=None,
        description="custom and host metrics stored with this sample (load1, swap_percent, "
        "data_disk_percent, or what the plugin pushed under custom); raw points only",
    )


class MetricsWindow(BaseModel):
    plugin_id: str
    hours: int
    resolution: Literal["raw", "5m", "1h"] = Field(
        description="raw: the stored samples; 5m or 1h: one point per bucket holding "
        "its averages (windows over 24 hours)"
    )
    samples: list[SampleOut]
    statistics: dict[str, Any] = Field(
        description="CPU, memory RSS/VMS, response time P50/P95/P99, error rate, "
        "throughput (requests/s), connections and disk/network I/O rates over the window; "
        "`custom`: average, minimum, maximum and current of each custom or host metric"
    )


class ThresholdsOut(BaseModel):
    global_: dict[str, float] = Field(alias="global")
    plugins: dict[str, dict[str, float]]

    model_config = ConfigDict(populate_by_name=True)


class ThresholdsUpdate(Strict):
    global_: dict[str, int | float] | None = Field(default=None, alias="global")
    plugins: dict[PluginId, dict[str, int | float | None]] | None = None

    model_config = ConfigDict(
        extra="forbid", allow_inf_nan=False, strict=True, populate_by_name=True
    )


class BacktestRequest(Strict):
    plugin_id: PluginId
    thresholds: dict[str, int | float] = Field(
        description="proposed values by threshold name, over the plugin's current ones",
        examples=[{"cpu_threshold": 70}],
    )
    days: Annotated[int, Field(ge=1, le=30, description="days of history to replay")] = 7


class ReplayOut(BaseModel):
    total: int
    by_level: dict[str, int]


class BacktestOut(BaseModel):
    plugin_id: str
    days: int
    samples: int
    proposed: ReplayOut
    current: ReplayOut


class WorkerOut(BaseModel):
    running: bool
    error: str | None
    details: dict[str, Any]


class Health(BaseModel):
    status: Literal["ok", "degraded", "database damaged"] = Field(
        description="`database damaged` when the database file is: `problems` names it and "
        "the backup to restore"
    )
    version: str
    uptime_seconds: float
    monitoring: bool
    plugins: int
    open_alerts: int
    problems: list[str] = Field(description="one line per part that is not well; empty when ok")
    database: dict[str, Any]
    writer: dict[str, Any]
    rollups: dict[str, Any]
    workers: dict[str, WorkerOut] = Field(
        description="every background part: writer, plugins, alert engine, rollups, "
        "collector, API server"
    )
    plugin_states: dict[str, str] = Field(
        default_factory=dict,
        description="every plugin's state by id (for admins; others get the count of each "
        "state); crashed, crash_loop and invalid_manifest also make the status degraded",
    )


class CheckItemOut(BaseModel):
    name: str
    ok: bool
    text: str


class CheckOut(BaseModel):
    ok: bool = Field(description="every item is ok")
    checked_at: str | None
    items: list[CheckItemOut]


class SettingsOut(BaseModel):
    settings: dict[str, Any] = Field(description="every setting by dotted key, as it runs now")
    applies_at_next_start: list[str] = Field(
        description="settings whose change takes effect only when the monitor next starts"
    )


class SettingChangeOut(BaseModel):
    old: Any
    new: Any


class SettingsUpdateOut(SettingsOut):
    changed: dict[str, SettingChangeOut]
    restart_required: list[str] = Field(description="changed settings that wait for a restart")


class StatusOut(BaseModel):
    authenticated: bool
    name: str
    role: str
    key_id: int | None


class ErrorOut(BaseModel):
    detail: str
    errors: list[dict[str, str]] | None = None


class PluginStateOut(BaseModel):
    """A plugin's state after a control action (and in the plugin list)."""

    plugin_id: str
    state: PluginState = Field(
        description="running, starting, stopped, crashed, crash_loop, disabled, watched "
        "(no [run]: not started by Plugin Monitor), invalid_manifest or gone"
    )
    pid: int | None
    restarts: int
    exit_code: int | None
    enabled: bool
    detail: str

    @classmethod
    def of(cls, status: PluginStatus) -> PluginStateOut:
        return cls(
            plugin_id=status.plugin_id,
            state=status.state,
            pid=status.pid,
            restarts=status.restarts,
            exit_code=status.exit_code,
            enabled=status.state is not PluginState.DISABLED,
            detail=status.detail,
        )


class InstallPlugin(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(min_length=1, max_length=4096, description="absolute path on this machine")


class StopAllOut(BaseModel):
    stopped: list[PluginStateOut]
    detail: str


_ERROR_MEANINGS = {
    400: "malformed JSON",
    401: "no API key, or an unknown, revoked or expired one",
    403: "the key's role or scope may not do this",
    404: "no such plugin or alert",
    409: "not possible in the plugin's current state",
    413: "the body is larger than api.max_body_bytes",
    422: "a field is wrong; `errors` names each one",
    429: "too many bad keys from this address, the key over its rate, or too many expensive "
    "reads at once; Retry-After says when to try again",
    503: "the monitor cannot do it now: the work's own process ended before it finished, "
    "or the alert engine is still evaluating earlier back-filled history; try again "
    "(after Retry-After, where given)",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the errors a route can answer with; a route that
    takes a key can also answer 429 (the abuse limits)."""
    every = (*codes, 429) if 401 in codes and 429 not in codes else codes
    return {code: {"model": ErrorOut, "description": _ERROR_MEANINGS[code]} for code in every}
