"""Silences in the database: written with their audit row in one
transaction, by the API and by `plugin-monitor silence` alike."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from sqlalchemy import Engine, Row, select, update

from desktop_app.models import tables
from desktop_app.models.levels import AlertLevel
from desktop_app.models.silences import Silence
from desktop_app.services.storage.audit import audit

_s = tables.silences.c


def _from_row(row: Row[Any]) -> Silence:
    seconds = tables.from_micros
    return Silence(
        id=row.id,
        plugin_key=row.plugin_key,
        rule=row.rule,
        level=None if row.level is None else AlertLevel(row.level),
        starts_at=seconds(row.starts_at),
        ends_at=seconds(row.ends_at),
        comment=row.comment,
        created_by=row.created_by,
        created_at=seconds(row.created_at),
        removed_at=None if row.removed_at is None else seconds(row.removed_at),
    )


def _described(silence: Silence) -> str:
    fields = asdict(silence)
    return ", ".join(f"{k}={v}" for k, v in fields.items() if k not in ("id", "removed_at"))


class SilenceRows:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, silence: Silence) -> Silence:
        """Store `silence` (its id is given here) and audit it."""
        micros = tables.to_micros
        with self._engine.begin() as conn:
            inserted = conn.execute(
                tables.silences.insert().values(
                    plugin_key=silence.plugin_key,
                    rule=silence.rule,
                    level=None if silence.level is None else int(silence.level),
                    starts_at=micros(silence.starts_at),
                    ends_at=micros(silence.ends_at),
                    comment=silence.comment,
                    created_by=silence.created_by,
                    created_at=micros(silence.created_at),
                )
            ).inserted_primary_key
            assert inserted is not None
            silence_id = int(inserted[0])
            stored = Silence(**{**asdict(silence), "id": silence_id})
            audit(
                conn,
                actor=silence.created_by,
                action="silence.add",
                target=f"silence {silence_id}",
                new_value=_described(stored),
            )
        return stored

    def remove(self, silence_id: int, actor: str) -> Silence | None:
        """End a silence now; None if there is no such silence."""
        now = tables.to_micros(time.time())
        with self._engine.begin() as conn:
            row = conn.execute(select(tables.silences).where(_s.id == silence_id)).one_or_none()
            if row is None:
                return None
            if row.removed_at is None:
                conn.execute(
                    update(tables.silences).where(_s.id == silence_id).values(removed_at=now)
                )
                audit(conn, actor=actor, action="silence.remove", target=f"silence {silence_id}")
            return _from_row(conn.execute(select(tables.silences).where(_s.id == silence_id)).one())

    def current(self, now: float) -> list[Silence]:
        """Silences not removed that have not ended yet (on, or due to start)."""
        query = (
            select(tables.silences)
            .where(_s.removed_at.is_(None), _s.ends_at > tables.to_micros(now))
            .order_by(_s.starts_at, _s.id)
        )
        with self._engine.connect() as conn:
            return [_from_row(row) for row in conn.execute(query)]
