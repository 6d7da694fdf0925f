"""Webhooks in the database: the part that may be shown, written with its
audit row in one transaction. The secret half is stored by the caller inside
that transaction (`keep_secret`), so a webhook never exists without it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, Row, select, update

from desktop_app.models import tables
from desktop_app.models.levels import AlertLevel
from desktop_app.models.webhooks import Webhook
from desktop_app.services.storage.audit import audit

_w = tables.webhooks.c


def _from_row(row: Row[Any]) -> Webhook:
    return Webhook(
        id=row.id,
        shown_url=row.shown_url,
        min_level=AlertLevel(row.min_level),
        header_names=tuple(name for name in row.header_names.split("\n") if name),
        signed=bool(row.signed),
        created_by=row.created_by,
        created_at=tables.from_micros(row.created_at),
    )


def _described(webhook: Webhook) -> str:
    headers = ", ".join(webhook.header_names) or "none"
    return (
        f"url={webhook.shown_url}, min_level={webhook.min_level.label}, "
        f"headers={headers}, signed={webhook.signed}"
    )


class WebhookRows:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, webhook: Webhook, keep_secret: Callable[[int], None]) -> Webhook:
        """Store `webhook` (its id is given here), call `keep_secret(id)` and
        audit it; if the secret cannot be kept, nothing is stored."""
        with self._engine.begin() as conn:
            inserted = conn.execute(
                tables.webhooks.insert().values(
                    shown_url=webhook.shown_url,
                    min_level=int(webhook.min_level),
                    header_names="\n".join(webhook.header_names),
                    signed=webhook.signed,
                    created_by=webhook.created_by,
                    created_at=tables.to_micros(webhook.created_at),
                )
            ).inserted_primary_key
            assert inserted is not None
            webhook_id = int(inserted[0])
            keep_secret(webhook_id)
            row = conn.execute(select(tables.webhooks).where(_w.id == webhook_id)).one()
            stored = _from_row(row)
            audit(
                conn,
                actor=webhook.created_by,
                action="webhook.add",
                target=f"webhook {webhook_id}",
                new_value=_described(stored),
            )
        return stored

    def remove(self, webhook_id: int, actor: str) -> Webhook | None:
        """Remove a webhook; None if there is no such webhook (or it is gone)."""
        with self._engine.begin() as conn:
            row = conn.execute(
                select(tables.webhooks).where(_w.id == webhook_id, _w.removed_at.is_(None))
            ).one_or_none()
            if row is None:
                return None
            conn.execute(
                update(tables.webhooks)
                .where(_w.id == webhook_id)
                .values(removed_at=tables.to_micros(time.time()))
            )
            removed = _from_row(row)
            audit(
                conn,
                actor=actor,
                action="webhook.remove",
                target=f"webhook {webhook_id}",
                old_value=_described(removed),
            )
        return removed

    def current(self) -> list[Webhook]:
        query = select(tables.webhooks).where(_w.removed_at.is_(None)).order_by(_w.id)
        with self._engine.connect() as conn:
            return [_from_row(row) for row in conn.execute(query)]
