"""The audit trail: every change an operator (or a program) makes."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, or_, select

from desktop_app.models import tables
from desktop_app.models.audit import AuditEntry, AuditFilter
from desktop_app.services.storage.writer import DatabaseWriter

AUDIT_SECONDS = 30.0  # the writer's queue is short; 30 s means the disk has stopped


def audit(
    conn: Connection,
    *,
    actor: str,
    action: str,
    target: str,
    old_value: object = None,
    new_value: object = None,
) -> None:
    """One audit row, in the caller's transaction (with the change it records)."""
    conn.execute(
        tables.audit_log.insert(),
        {
            "at": tables.to_micros(time.time()),
            "actor": actor,
            "action": action,
            "target": target,
            "old_value": None if old_value is None else str(old_value),
            "new_value": None if new_value is None else str(new_value),
        },
    )


def record_beside(
    engine: Engine, *, actor: str, action: str, target: str, new_value: object = None
) -> AuditEntry:
    """One audit row from a command that runs beside the monitor (it has no
    writer of its own): a short transaction of its own, which waits out the
    monitor's writer through SQLite's busy timeout. The row as stored."""
    with engine.begin() as conn:
        audit(conn, actor=actor, action=action, target=target, new_value=new_value)
        newest = select(tables.audit_log).order_by(tables.audit_log.c.id.desc()).limit(1)
        return _entry(conn.execute(newest).one())


def _row(
    actor: str, action: str, target: str, old_value: object, new_value: object
) -> Callable[[Connection], None]:
    def write(conn: Connection) -> None:
        audit(
            conn,
            actor=actor,
            action=action,
            target=target,
            old_value=old_value,
            new_value=new_value,
        )

    return write


class AuditLog:
    def __init__(self, engine: Engine, writer: DatabaseWriter) -> None:
        self._engine = engine
        self._writer = writer

    def record(
        self,
        *,
        actor: str,
        action: str,
        target: str,
        old_value: object = None,
        new_value: object = None,
    ) -> None:
        """Stored before it returns: an action is not done until its audit row is."""
        self._writer.call(
            _row(actor, action, target, old_value, new_value),
            AUDIT_SECONDS,
        )

    def record_later(
        self,
        *,
        actor: str,
        action: str,
        target: str,
        old_value: object = None,
        new_value: object = None,
    ) -> Future[None]:
        """Queued for the writer: for a refusal on the API's event loop, which
        must not wait for the disk."""
        return self._writer.run_job(_row(actor, action, target, old_value, new_value))

    def entries(self, *, limit: int = 100) -> list[AuditEntry]:
        """Newest first."""
        return self.page(AuditFilter(), limit=limit)

    def page(
        self, filters: AuditFilter, *, limit: int, before_id: int | None = None
    ) -> list[AuditEntry]:
        """Newest first; `before_id` continues a previous page."""
        a = tables.audit_log.c
        query = select(tables.audit_log).order_by(a.id.desc()).limit(limit)
        if filters.actor is not None:  # a part of it: a name, "key 4", an address
            pattern = "%" + re.sub(r"([\\%_])", r"\\\1", filters.actor) + "%"
            query = query.where(a.actor.ilike(pattern, escape="\\"))
        if filters.action is not None:
            family = filters.action.rstrip(".") + ".%"
            query = query.where(or_(a.action == filters.action, a.action.like(family)))
        if filters.since is not None:
            query = query.where(a.at >= tables.to_micros(filters.since))
        if filters.until is not None:
            query = query.where(a.at <= tables.to_micros(filters.until))
        if before_id is not None:
            query = query.where(a.id < before_id)
        with self._engine.connect() as conn:
            return [_entry(row) for row in conn.execute(query)]

    def after(self, last_id: int, *, limit: int = 1000) -> list[AuditEntry]:
        """Oldest first: the entries stored since `last_id` (the trail's follower)."""
        a = tables.audit_log.c
        query = select(tables.audit_log).where(a.id > last_id).order_by(a.id).limit(limit)
        with self._engine.connect() as conn:
            return [_entry(row) for row in conn.execute(query)]

    def newest_id(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.max(tables.audit_log.c.id))).scalar() or 0)


def _entry(row: Row[Any]) -> AuditEntry:
    return AuditEntry(
        at=tables.from_micros(row.at),
        actor=row.actor,
        action=row.action,
        target=row.target,
        old_value=row.old_value,
        new_value=row.new_value,
        id=row.id,
    )
