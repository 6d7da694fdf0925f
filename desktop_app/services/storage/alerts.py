"""Alerts in the database: rows written by the engine, reads for everyone."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine, Row, bindparam, func, select

from desktop_app.models import tables
from desktop_app.models.alerts import (
    Alert,
    AlertEvent,
    AlertEventKind,
    AlertFilter,
    AlertStatus,
    TimelineEntry,
)
from desktop_app.models.levels import AlertLevel
from desktop_app.services.storage.audit import audit
from desktop_app.services.storage.marks import evaluation_marks

_ALERT_COLUMNS = (tables.alerts, tables.plugins.c.key.label("plugin_key"))


def alert_row(alert: Alert, plugin_id: int) -> dict[str, Any]:
    micros = tables.to_micros
    return {
        "id": alert.id,
        "plugin_id": plugin_id,
        "rule": alert.rule,
        "level": int(alert.level),
        "status": alert.status.value,
        "message": alert.message,
        "value": alert.value,
        "threshold": alert.threshold,
        "started_at": micros(alert.started_at),
        "updated_at": micros(alert.updated_at),
        "occurrences": alert.occurrences,
        "resolved_at": micros(alert.resolved_at) if alert.resolved_at is not None else None,
        "resolved_by": alert.resolved_by,
        "acknowledged_at": (
            micros(alert.acknowledged_at) if alert.acknowledged_at is not None else None
        ),
        "acknowledged_by": alert.acknowledged_by,
        "comment": alert.comment,
        "flapping": alert.flapping,
        "historical": alert.historical,
    }


def alert_from_row(row: Row[Any]) -> Alert:
    def seconds(value: int | None) -> float | None:
        return tables.from_micros(value) if value is not None else None

    return Alert(
        id=row.id,
        plugin_key=row.plugin_key,
        rule=row.rule,
        level=AlertLevel(row.level),
        status=AlertStatus(row.status),
        message=row.message,
        value=row.value,
        threshold=row.threshold,
        started_at=tables.from_micros(row.started_at),
        updated_at=tables.from_micros(row.updated_at),
        occurrences=row.occurrences,
        flapping=bool(row.flapping),
        historical=bool(row.historical),
        resolved_at=seconds(row.resolved_at),
        resolved_by=row.resolved_by,
        acknowledged_at=seconds(row.acknowledged_at),
        acknowledged_by=row.acknowledged_by,
        comment=row.comment,
    )


_STATUS_AFTER = {
    AlertEventKind.RESOLVED: AlertStatus.RESOLVED,
    AlertEventKind.ACKNOWLEDGED: AlertStatus.ACKNOWLEDGED,
}


@dataclass(frozen=True)
class PendingEvent:
    """A transition to store: the alert's new state and how it got there."""

    kind: AlertEventKind
    alert: Alert
    plugin_id: int
    is_new: bool
    notify: bool
    at: float
    actor: str | None = None
    silenced: bool = False


def store_events(conn: Connection, pending: list[PendingEvent]) -> list[AlertEvent]:
    """Write alert rows and their events in the caller's transaction.

    Alert rows are written once each, in their final state, and the events
    with one executemany: an alert storm of thousands of transitions costs a
    few statements, not thousands. Only the writer thread inserts events, so
    the rows of one executemany get consecutive sequence numbers.
    """
    if not pending:
        return []
    final: dict[int, dict[str, Any]] = {}
    new: set[int] = set()
    for item in pending:
        final[item.alert.id] = alert_row(item.alert, item.plugin_id)
        if item.is_new:
            new.add(item.alert.id)
    if new:
        conn.execute(tables.alerts.insert(), [final[i] for i in final if i in new])
    updates = [{**row, "alert_key": i} for i, row in final.items() if i not in new]
    if updates:
        columns: dict[str, Any] = {
            name: bindparam(name) for name in final[next(iter(final))] if name != "id"
        }
        conn.execute(
            tables.alerts.update()
            .where(tables.alerts.c.id == bindparam("alert_key"))
            .values(columns),
            updates,
        )
    conn.execute(
        tables.alert_events.insert(),
        [
            {
                "alert_id": item.alert.id,
                "kind": item.kind.value,
                "level": int(item.alert.level),
                "value": item.alert.value,
                "at": tables.to_micros(item.at),
                "actor": item.actor,
                "notify": item.notify,
                "silenced": item.silenced,
            }
            for item in pending
        ],
    )
    for item, who in ((item, item.actor) for item in pending):
        if who is None:
            continue
        audit(
            conn,
            actor=who,
            action=f"alert.{item.kind.value}",
            target=f"alert {item.alert.id}",
            new_value=item.alert.comment,
        )
    last = int(conn.execute(select(func.max(tables.alert_events.c.seq))).scalar_one())
    first = last - len(pending) + 1
    return [
        AlertEvent(
            seq=first + offset,
            kind=item.kind,
            alert=item.alert,
            at=item.at,
            notify=item.notify,
            actor=item.actor,
            silenced=item.silenced,
        )
        for offset, item in enumerate(pending)
    ]


class AlertQueries:
    """Reads on their own connections; never through the writer."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _select(self) -> Any:
        return select(*_ALERT_COLUMNS).join(
            tables.plugins, tables.plugins.c.id == tables.alerts.c.plugin_id
        )

    def get(self, alert_id: int) -> Alert | None:
        with self._engine.connect() as conn:
            row = conn.execute(self._select().where(tables.alerts.c.id == alert_id)).first()
        return alert_from_row(row) if row is not None else None

    def open_alerts(self) -> list[Alert]:
        query = self._select().where(tables.alerts.c.status != AlertStatus.RESOLVED.value)
        with self._engine.connect() as conn:
            return [alert_from_row(row) for row in conn.execute(query)]

    def evaluation_marks(self) -> dict[str, float | None]:
        """Per plugin key, the newest sample time the engine has evaluated."""
        return evaluation_marks(self._engine)

    def max_alert_id(self) -> int:
        with self._engine.connect() as conn:
            return int(
                conn.execute(
                    select(tables.alerts.c.id).order_by(tables.alerts.c.id.desc()).limit(1)
                ).scalar()
                or 0
            )

    def page(
        self, filters: AlertFilter, *, limit: int, before_id: int | None = None
    ) -> list[Alert]:
        """Newest first; `before_id` continues a previous page."""
        a = tables.alerts.c
        query = self._select().order_by(a.id.desc()).limit(limit)
        if filters.open_only:
            query = query.where(a.status != AlertStatus.RESOLVED.value)
        if filters.plugin_key is not None:
            query = query.where(tables.plugins.c.key == filters.plugin_key)
        if filters.levels:
            query = query.where(a.level.in_([int(level) for level in filters.levels]))
        if filters.statuses:
            query = query.where(a.status.in_([status.value for status in filters.statuses]))
        if filters.since is not None:
            query = query.where(a.updated_at >= tables.to_micros(filters.since))
        if filters.until is not None:
            query = query.where(a.started_at <= tables.to_micros(filters.until))
        if before_id is not None:
            query = query.where(a.id < before_id)
        with self._engine.connect() as conn:
            return [alert_from_row(row) for row in conn.execute(query)]

    def events_after(self, seq: int, *, limit: int = 10_000) -> list[AlertEvent]:
        """Stored events with a higher sequence number, oldest first.

        The alert is shown as it stands now, with the level, value and status
        the event gave it.
        """
        e = tables.alert_events.c
        query = (
            select(
                *_ALERT_COLUMNS,
                e.seq,
                e.kind,
                e.level.label("event_level"),
                e.value.label("event_value"),
                e.at,
                e.actor,
                e.notify,
                e.silenced,
            )
            .select_from(tables.alert_events)
            .join(tables.alerts, tables.alerts.c.id == e.alert_id)
            .join(tables.plugins, tables.plugins.c.id == tables.alerts.c.plugin_id)
            .where(e.seq > seq)
            .order_by(e.seq)
            .limit(limit)
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        events = []
        for row in rows:
            kind = AlertEventKind(row.kind)
            alert = replace(
                alert_from_row(row),
                level=AlertLevel(row.event_level),
                value=row.event_value,
                status=_STATUS_AFTER.get(kind, AlertStatus.ACTIVE),
            )
            events.append(
                AlertEvent(
                    seq=row.seq,
                    kind=kind,
                    alert=alert,
                    at=tables.from_micros(row.at),
                    notify=bool(row.notify),
                    actor=row.actor,
                    silenced=bool(row.silenced),
                )
            )
        return events

    def last_seq(self) -> int:
        with self._engine.connect() as conn:
            return int(
                conn.execute(
                    select(tables.alert_events.c.seq)
                    .order_by(tables.alert_events.c.seq.desc())
                    .limit(1)
                ).scalar()
                or 0
            )

    def timeline(self, alert_id: int) -> list[TimelineEntry]:
        """Every stored transition of one alert, in order."""
        e = tables.alert_events.c
        query = (
            select(e.kind, e.level, e.value, e.at, e.actor, e.silenced)
            .where(e.alert_id == alert_id)
            .order_by(e.seq)
        )
        with self._engine.connect() as conn:
            return [
                TimelineEntry(
                    AlertEventKind(row.kind),
                    AlertLevel(row.level),
                    row.value,
                    tables.from_micros(row.at),
                    row.actor,
                    bool(row.silenced),
                )
                for row in conn.execute(query)
            ]
