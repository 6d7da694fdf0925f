"""A remote monitor's answers as the console's own models.

The console draws `Alert`, `AlertEvent`, `Sample`, `PluginInfo` and the rest
whether they come from the embedded monitor or over the API, so every page
reads both the same way; this module is the one place the API's JSON becomes
those models.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from desktop_app.models.alerts import (
    Alert,
    AlertEvent,
    AlertEventKind,
    AlertStatus,
    TimelineEntry,
)
from desktop_app.models.health import HealthSnapshot, WorkerHealth
from desktop_app.models.levels import AlertLevel
from desktop_app.models.metrics import BY_WIRE
from desktop_app.models.plugins import PluginInfo, PluginSource, ProcessSpec
from desktop_app.models.samples import Sample, SampleBlock
from desktop_app.models.silences import Silence
from desktop_app.models.supervision import PluginState, PluginStatus

Json = Mapping[str, Any]


def seconds(moment: str | None) -> float | None:
    """An ISO 8601 time of the API (UTC, `Z`) as epoch seconds."""
    return None if moment is None else datetime.fromisoformat(moment).timestamp()


def _level(label: str | None) -> AlertLevel | None:
    return None if label is None else AlertLevel.parse(label)


def alert_of(data: Json) -> Alert:
    return Alert(
        id=int(data["id"]),
        plugin_key=data["plugin_id"],
        rule=data["rule"],
        level=AlertLevel.parse(data["level"]),
        status=AlertStatus(data["status"]),
        message=data["message"],
        value=data["value"],
        threshold=data["threshold"],
        started_at=seconds(data["started_at"]) or 0.0,
        updated_at=seconds(data["updated_at"]) or 0.0,
        occurrences=int(data["occurrences"]),
        resolved_at=seconds(data["resolved_at"]),
        resolved_by=data["resolved_by"],
        acknowledged_at=seconds(data["acknowledged_at"]),
        acknowledged_by=data["acknowledged_by"],
        comment=data["comment"],
        flapping=bool(data.get("flapping")),
        historical=bool(data.get("historical")),
    )


def event_of(message: Json) -> AlertEvent:
    """A stream's `alert` message as the event the local bus would carry."""
    return AlertEvent(
        seq=int(message["seq"]),
        kind=AlertEventKind(message["event"]),
        alert=alert_of(message["alert"]),
        at=seconds(message["at"]) or time.time(),
        notify=bool(message["notify"]),
        actor=message["actor"],
        silenced=bool(message["silenced"]),
    )


def timeline_of(data: Json) -> TimelineEntry:
    return TimelineEntry(
        kind=AlertEventKind(data["event"]),
        level=AlertLevel.parse(data["level"]),
        value=data["value"],
        at=seconds(data["at"]) or 0.0,
        actor=data["actor"],
        silenced=bool(data["silenced"]),
    )


def plugin_of(data: Json, plugin_id: int) -> PluginInfo:
    """`plugin_id`: the console's own number for it (the remote's is not sent)."""
    process = data.get("process")
    return PluginInfo(
        id=plugin_id,
        key=data["plugin_id"],
        name=data["plugin_name"],
        source=PluginSource(data["source"]),
        enabled=bool(data["enabled"]),
        created_at=seconds(data["created_at"]) or 0.0,
        last_seen=seconds(data["last_seen"]),
        process=None if not process else ProcessSpec(**process),
        host=data.get("host"),
    )


def status_of(data: Json) -> PluginStatus:
    return PluginStatus(
        plugin_id=data["plugin_id"],
        state=PluginState(data["state"]),
        pid=data["pid"],
        restarts=int(data["restarts"]),
        exit_code=data["exit_code"],
        detail=data["detail"],
    )


def silence_of(data: Json) -> Silence:
    return Silence(
        id=int(data["id"]),
        plugin_key=data["plugin_id"],
        rule=data["rule"],
        level=_level(data["level"]),
        starts_at=seconds(data["starts_at"]) or 0.0,
        ends_at=seconds(data["ends_at"]) or 0.0,
        comment=data["comment"],
        created_by=data["created_by"],
        created_at=seconds(data["starts_at"]) or 0.0,
    )


def block_of(message: Json) -> SampleBlock:
    """A stream's `samples` message (shaped as a columnar push)."""
    metrics = dict(message["metrics"])
    failed = metrics.pop("failed", None)
    custom = metrics.pop("custom", None) or {}
    return SampleBlock(
        message["plugin_id"],
        [float(moment) for moment in message["timestamps"]],
        {BY_WIRE[name].name: column for name, column in metrics.items() if name in BY_WIRE},
        failed=None if failed is None else [bool(flag) for flag in failed],
        extras=custom,
    )


def stored_samples(plugin_key: str, points: Sequence[Json]) -> list[Sample]:
    """The `samples` of a metrics answer (stored samples or bucket averages)."""
    found = []
    for point in points:
        sample = Sample(plugin_key, seconds(point["timestamp"]) or 0.0)
        for wire, value in point.items():
            metric = BY_WIRE.get(wire)
            if metric is not None and value is not None and hasattr(sample, metric.name):
                setattr(sample, metric.name, value)
        sample.failed = bool(point.get("failed"))
        sample.extras = dict(point.get("custom") or {})
        found.append(sample)
    return found


def health_of(data: Json) -> HealthSnapshot:
    """The health answer as the status bar's snapshot (an admin's key names
    each plugin's state; a viewer's gives counts)."""
    states = data.get("plugin_states") or {}
    named = all(isinstance(value, str) for value in states.values())
    pairs = (
        tuple(states.items())
        if named
        else tuple(("", state) for state, count in states.items() for _ in range(int(count)))
    )
    database = data.get("database") or {}
    return HealthSnapshot(
        started_at=time.time() - float(data.get("uptime_seconds") or 0.0),
        monitoring=bool(data.get("monitoring")),
        plugins=int(data.get("plugins") or 0),
        open_alerts=int(data.get("open_alerts") or 0),
        database_path=str(database.get("path") or ""),
        database_bytes=database.get("size_bytes"),
        workers=tuple(
            WorkerHealth(name, bool(part["running"]), part.get("error"), part.get("details") or {})
            for name, part in (data.get("workers") or {}).items()
        ),
        plugin_states=pairs,
    )
