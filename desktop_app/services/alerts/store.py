"""Alerts in the database: rows written by the engine, reads for everyone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, select

from desktop_app.models import tables
from desktop_app.models.alerts import Alert, AlertEvent, AlertEventKind, AlertStatus
from desktop_app.models.levels import AlertLevel

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
        resolved_at=seconds(row.resolved_at),
        resolved_by=row.resolved_by,
        acknowledged_at=seconds(row.acknowledged_at),
        acknowledged_by=row.acknowledged_by,
        comment=row.comment,
    )


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


def store_events(conn: Connection, pending: list[PendingEvent]) -> list[AlertEvent]:
    """Write alert rows and their events in the caller's transaction."""
    stored: list[AlertEvent] = []
    for item in pending:
        row = alert_row(item.alert, item.plugin_id)
        if item.is_new:
            conn.execute(tables.alerts.insert(), row)
        else:
            conn.execute(
                tables.alerts.update().where(tables.alerts.c.id == item.alert.id).values(row)
            )
        result = conn.execute(
            tables.alert_events.insert(),
            {
                "alert_id": item.alert.id,
                "kind": item.kind.value,
                "level": int(item.alert.level),
                "value": item.alert.value,
                "at": tables.to_micros(item.at),
                "actor": item.actor,
                "notify": item.notify,
            },
        )
        seq = result.inserted_primary_key
        assert seq is not None, "an insert into alert_events returns its key"
        stored.append(
            AlertEvent(
                seq=int(seq[0]),
                kind=item.kind,
                alert=item.alert,
                at=item.at,
                notify=item.notify,
                actor=item.actor,
            )
        )
    return stored


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

    def max_alert_id(self) -> int:
        with self._engine.connect() as conn:
            return int(
                conn.execute(
                    select(tables.alerts.c.id).order_by(tables.alerts.c.id.desc()).limit(1)
                ).scalar()
                or 0
            )

    def history(self, *, plugin_key: str | None = None, limit: int = 100) -> list[Alert]:
        """Newest first."""
        query = self._select().order_by(tables.alerts.c.id.desc()).limit(limit)
        if plugin_key is not None:
            query = query.where(tables.plugins.c.key == plugin_key)
        with self._engine.connect() as conn:
            return [alert_from_row(row) for row in conn.execute(query)]

    def event_kinds(self, alert_id: int) -> list[tuple[str, int, str | None]]:
        """(kind, level, actor) of every stored transition of one alert, in order."""
        query = (
            select(
                tables.alert_events.c.kind, tables.alert_events.c.level, tables.alert_events.c.actor
            )
            .where(tables.alert_events.c.alert_id == alert_id)
            .order_by(tables.alert_events.c.seq)
        )
        with self._engine.connect() as conn:
            return [(row.kind, row.level, row.actor) for row in conn.execute(query)]
