"""The audit trail: every change an operator (or a program) makes."""

from __future__ import annotations

import time

from sqlalchemy import Connection, Engine, select

from desktop_app.models import tables
from desktop_app.models.audit import AuditEntry
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
        self._writer.run_job(
            lambda conn: audit(
                conn,
                actor=actor,
                action=action,
                target=target,
                old_value=old_value,
                new_value=new_value,
            )
        ).result(AUDIT_SECONDS)

    def entries(self, *, limit: int = 100) -> list[AuditEntry]:
        """Newest first."""
        query = select(tables.audit_log).order_by(tables.audit_log.c.id.desc()).limit(limit)
        with self._engine.connect() as conn:
            return [
                AuditEntry(
                    at=tables.from_micros(row.at),
                    actor=row.actor,
                    action=row.action,
                    target=row.target,
                    old_value=row.old_value,
                    new_value=row.new_value,
                )
                for row in conn.execute(query)
            ]
