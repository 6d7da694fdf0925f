"""The audit trail (R25): who did what, from where, newest first (admin only)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from desktop_app.models.audit import AuditEntry, AuditFilter
from desktop_app.services.api.deps import Admin, AuditDep
from desktop_app.services.api.routes.paging import cursor_id, utc
from desktop_app.services.api.schemas import QueryTime, error_responses, iso

router = APIRouter(prefix="/api", tags=["audit"])


class AuditQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actor: str | None = Field(
        default=None,
        max_length=300,
        description="actors containing this text: a name, `key 4` or an address (`from 10.0.0.7`)",
    )
    action: str | None = Field(
        default=None,
        max_length=100,
        pattern=r"^[a-z][a-z_-]*(\.[a-z][a-z_-]*)*$",
        description='an action ("key.create") or its family ("key")',
    )
    since: QueryTime | None = Field(default=None, description="at or after")
    until: QueryTime | None = Field(default=None, description="at or before")
    limit: int = Field(default=100, ge=1, le=1000)
    cursor: str | None = Field(
        default=None, max_length=20, description="next_cursor of the page before"
    )


class AuditEntryOut(BaseModel):
    id: int
    at: str = Field(description="UTC, ISO 8601")
    actor: str = Field(description="who, and for the API the key and the address")
    action: str
    target: str
    old_value: str | None
    new_value: str | None

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(
            id=entry.id,
            at=iso(entry.at) or "",
            actor=entry.actor,
            action=entry.action,
            target=entry.target,
            old_value=entry.old_value,
            new_value=entry.new_value,
        )


class AuditPage(BaseModel):
    entries: list[AuditEntryOut]
    next_cursor: str | None = Field(description="pass as cursor= for the next page; null: no more")


@router.get(
    "/audit",
    response_model=AuditPage,
    responses=error_responses(401, 403, 422),
    summary="The audit trail, newest first: settings, keys, plugins, alerts, silences",
)
async def audit_trail(
    audit: AuditDep, _who: Admin, query: Annotated[AuditQuery, Query()]
) -> AuditPage:
    filters = AuditFilter(
        actor=query.actor,
        action=query.action,
        since=utc(query.since, "since"),
        until=utc(query.until, "until"),
    )
    entries = await asyncio.to_thread(
        audit.page, filters, limit=query.limit + 1, before_id=cursor_id(query.cursor)
    )
    more = len(entries) > query.limit
    entries = entries[: query.limit]
    return AuditPage(
        entries=[AuditEntryOut.of(entry) for entry in entries],
        next_cursor=str(entries[-1].id) if more and entries else None,
    )
