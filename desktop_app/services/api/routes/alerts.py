"""Alerts: the open ones, the history, resolve and acknowledge (R9, R10)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Annotated, TypeVar

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from desktop_app.models.alerts import Alert, AlertFilter, AlertStatus
from desktop_app.models.levels import AlertLevel
from desktop_app.services.alerts.silences import SilenceService
from desktop_app.services.api.deps import (
    AlertLanguage,
    AlertsDep,
    EngineDep,
    Operator,
    SilencesDep,
    Viewer,
    actor,
)
from desktop_app.services.api.errors import BadBody
from desktop_app.services.api.routes.paging import cursor_id, utc
from desktop_app.services.api.schemas import (
    AlertAction,
    AlertOut,
    AlertPage,
    LevelList,
    QueryTime,
    TimelineOut,
    error_responses,
)
from desktop_app.services.storage.alerts import AlertQueries

T = TypeVar("T")

router = APIRouter(prefix="/api/advanced-monitoring", tags=["alerts"])
ERRORS = error_responses(401, 403, 404, 422)
AlertId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the alert's id")]


class AlertQuery(BaseModel):
    """Filters and paging shared by the open-alert and history listings."""

    model_config = ConfigDict(extra="forbid")

    plugin: str | None = Field(default=None, max_length=100)
    level: LevelList | None = None
    status: str | None = Field(
        default=None,
        max_length=100,
        pattern="(?i)^(active|acknowledged|resolved)(,(active|acknowledged|resolved))*$",
        description="comma-separated: active, acknowledged, resolved",
    )
    since: QueryTime | None = Field(default=None, description="changed at or after")
    until: QueryTime | None = Field(default=None, description="started at or before")
    limit: int = Field(default=100, ge=1, le=1000)
    cursor: str | None = Field(
        default=None, max_length=20, description="next_cursor of the page before"
    )


def _parse_status(text: str) -> AlertStatus:
    try:
        return AlertStatus(text.strip().lower())
    except ValueError:
        raise ValueError(
            f"unknown status {text!r}; choose one of active, acknowledged, resolved"
        ) from None


def _parse_list(text: str | None, parse: Callable[[str], T], field: str) -> frozenset[T]:
    if not text:
        return frozenset()
    try:
        return frozenset(parse(part) for part in text.split(","))
    except ValueError as error:
        raise BadBody(422, "invalid request", [{"field": field, "problem": str(error)}]) from None


async def _page(
    queries: AlertQueries,
    silences: SilenceService,
    *,
    filters: AlertFilter,
    limit: int,
    cursor: str | None,
    language: str,
) -> AlertPage:
    alerts = await asyncio.to_thread(
        queries.page, filters, limit=limit + 1, before_id=cursor_id(cursor)
    )
    more = len(alerts) > limit
    alerts = alerts[:limit]
    now = time.time()
    current = await asyncio.to_thread(silences.current)
    return AlertPage(
        alerts=[
            AlertOut.of(
                a,
                language=language,
                silenced=a.is_open and any(s.matches(a, now) for s in current),
            )
            for a in alerts
        ],
        next_cursor=str(alerts[-1].id) if more and alerts else None,
    )


def _filters(query: AlertQuery, *, open_only: bool) -> AlertFilter:
    return AlertFilter(
        open_only=open_only,
        plugin_key=query.plugin,
        levels=_parse_list(query.level, AlertLevel.parse, "level"),
        statuses=_parse_list(query.status, _parse_status, "status"),
        since=utc(query.since, "since"),
        until=utc(query.until, "until"),
    )


@router.get(
    "/alerts",
    response_model=AlertPage,
    responses=ERRORS,
    summary="Open alerts (active or acknowledged), newest first",
)
async def active_alerts(
    alerts: AlertsDep,
    silences: SilencesDep,
    _who: Viewer,
    query: Annotated[AlertQuery, Query()],
    language: AlertLanguage,
) -> AlertPage:
    filters = _filters(query, open_only=True)
    return await _page(
        alerts, silences, filters=filters, limit=query.limit, cursor=query.cursor, language=language
    )


@router.get(
    "/alerts/history",
    response_model=AlertPage,
    responses=ERRORS,
    summary="Every alert, open or resolved, newest first",
)
async def alert_history(
    alerts: AlertsDep,
    silences: SilencesDep,
    _who: Viewer,
    query: Annotated[AlertQuery, Query()],
    language: AlertLanguage,
) -> AlertPage:
    filters = _filters(query, open_only=False)
    return await _page(
        alerts, silences, filters=filters, limit=query.limit, cursor=query.cursor, language=language
    )


@router.get(
    "/alerts/{alert_id}/timeline",
    response_model=list[TimelineOut],
    responses=ERRORS,
    summary="Every stored change of one alert, oldest first (a remote console's alert detail)",
)
async def alert_timeline(alert_id: AlertId, alerts: AlertsDep, _who: Viewer) -> list[TimelineOut]:
    entries = await asyncio.to_thread(alerts.timeline, alert_id)
    if not entries:  # every alert has at least the change that raised it
        raise HTTPException(404, f"no alert {alert_id}")
    return [TimelineOut.of(entry) for entry in entries]


@router.post("/alerts/{alert_id}/resolve", response_model=AlertOut, responses=ERRORS)
async def resolve_alert(
    alert_id: AlertId,
    engine: EngineDep,
    who: Operator,
    language: AlertLanguage,
    body: AlertAction | None = None,
) -> AlertOut:
    comment = body.comment if body else None
    return await _answer(engine.resolve(alert_id, actor=actor(who), comment=comment), language)


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertOut, responses=ERRORS)
async def acknowledge_alert(
    alert_id: AlertId,
    engine: EngineDep,
    who: Operator,
    language: AlertLanguage,
    body: AlertAction | None = None,
) -> AlertOut:
    comment = body.comment if body else None
    return await _answer(engine.acknowledge(alert_id, actor=actor(who), comment=comment), language)


@router.post(
    "/alerts/{alert_id}/reopen",
    response_model=AlertOut,
    responses=error_responses(401, 403, 404, 409, 422),
    summary="Undo an operator's resolve of a moment ago (a `reopened` event)",
)
async def reopen_alert(
    alert_id: AlertId, engine: EngineDep, who: Operator, language: AlertLanguage
) -> AlertOut:
    return await _answer(engine.reopen(alert_id, actor=actor(who)), language)


async def _answer(change: Future[Alert], language: str) -> AlertOut:
    return AlertOut.of(await asyncio.wrap_future(change), language=language)
