"""Trends (R12), usage patterns (R13), analytics (R14) and export (R15).

Answers are built off the event loop from rollups and the newest raw
samples; exports stream page by page with a file name to save under.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from desktop_app.models.analytics import AnalyticsOut, TrendsOut, UsagePatternsOut
from desktop_app.models.plugins import PluginInfo
from desktop_app.services.analytics import trends as trend_rules
from desktop_app.services.api.deps import (
    AnalyticsDep,
    Context,
    HeavyDep,
    KnownPlugin,
    SamplesDep,
    SharedDep,
    Viewer,
)
from desktop_app.services.api.heavy import LONG_EXPORT_HOURS
from desktop_app.services.api.routes.metrics import MAX_HOURS
from desktop_app.services.api.schemas import error_responses, iso
from desktop_app.services.export import stream_samples
from desktop_app.services.storage.database import database_errors, database_words, is_damage

router = APIRouter(prefix="/api/advanced-monitoring", tags=["analytics"])
ERRORS = error_responses(401, 403, 404, 422)

Hours = Annotated[int, Query(ge=1, le=MAX_HOURS, description="window in hours, 1 to 2160")]
Days = Annotated[int, Query(ge=1, le=90, description="days of history, 1 to 90")]

TREND_METHOD = (
    "A least-squares line through the window's points (5-minute bucket averages up to "
    "48 hours, hourly beyond, each weighted by its number of samples). change_percent = "
    "100 * slope * window span / |window mean|. Strength: strong at "
    f"{trend_rules.STRONG_FROM:g} % or more, moderate from {trend_rules.MODERATE_FROM:g} % "
    f"to under {trend_rules.STRONG_FROM:g} %, weak below {trend_rules.MODERATE_FROM:g} %. "
    f"Direction: up or down from {trend_rules.STABLE_BELOW:g} %, stable below."
)
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _answer(plugin: PluginInfo, now: float, body: dict[str, Any]) -> dict[str, Any]:
    """The answer as a dict: FastAPI checks it against the route's model once."""
    return {"plugin_id": plugin.key, "generated_at": iso(now), **body}


@router.get(
    "/trends/{plugin_id}",
    response_model=TrendsOut,
    responses=ERRORS,
    summary="Direction and strength of every metric's trend over the window",
    description=TREND_METHOD,
)
async def trends(
    plugin: KnownPlugin, analytics: AnalyticsDep, _who: Viewer, hours: Hours = 24
) -> dict[str, Any]:
    now = time.time()
    found = await asyncio.to_thread(analytics.trends, plugin.id, hours=hours, now=now)
    return _answer(plugin, now, {"hours": hours, "method": TREND_METHOD, "trends": found})


@router.get(
    "/usage-patterns/{plugin_id}",
    response_model=UsagePatternsOut,
    responses=ERRORS,
    summary="Averages by hour of day, day of week, week and month, in the operator's time zone",
    description="Peak and quiet hours are the three highest and lowest hourly averages. "
    "The heatmap holds the usage metric (requests if the plugin reports them, else CPU) "
    "by weekday (Monday first) and hour.",
)
async def usage_patterns(
    plugin: KnownPlugin, analytics: AnalyticsDep, _who: Viewer, days: Days = 28
) -> dict[str, Any]:
    now = time.time()
    found = await asyncio.to_thread(analytics.usage_patterns, plugin.id, days=days, now=now)
    return _answer(plugin, now, found)


@router.get(
    "/analytics/{plugin_id}",
    response_model=AnalyticsOut,
    responses=ERRORS,
    summary="History, trends, patterns, summary (average, maximum, minimum, current) and "
    "threshold forecasts in one answer",
    description=TREND_METHOD,
)
async def analytics_report(
    plugin: KnownPlugin, analytics: AnalyticsDep, shared: SharedDep, _who: Viewer, hours: Hours = 24
) -> dict[str, Any]:
    def report() -> dict[str, Any]:
        now = time.time()
        found = analytics.analytics(plugin.id, plugin.key, hours=hours, now=now)
        return _answer(plugin, now, {"hours": hours, **found})

    return await shared.run(("analytics", plugin.id, hours), report)


@router.get(
    "/export/{plugin_id}",
    responses={
        200: {
            "description": "The samples, streamed as a download",
            "content": {"text/csv": {}, "application/json": {}},
        },
        **ERRORS,
    },
    summary="Download the window's raw samples as JSON or CSV",
)
def export(
    plugin: KnownPlugin,
    *,
    samples: SamplesDep,
    heavy: HeavyDep,
    ctx: Context,
    _who: Viewer,
    hours: Hours = 24,
    fmt: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
) -> StreamingResponse:
    now = time.time()
    stamp = datetime.fromtimestamp(now, UTC).strftime("%Y%m%dT%H%M%SZ")
    filename = f"{plugin.key}-{hours}h-{stamp}.{fmt}"
    chunks: Iterator[str] = (
        text
        for text, _rows in stream_samples(
            samples, {plugin.key: plugin.id}, now - hours * 3600, now, fmt
        )
        if text
    )
    chunks = _aborted_on_damage(chunks, ctx.database_damaged)
    if hours > LONG_EXPORT_HOURS:
        heavy.take()
        chunks = heavy.streamed(chunks)
    return StreamingResponse(
        chunks,
        media_type=CONTENT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _aborted_on_damage(chunks: Iterator[str], damaged: Callable[[str], str]) -> Iterator[str]:
    """A download that fails midway is cut off (the server sends no last
    chunk, and JSON no closing bracket), so no client takes it for whole;
    damage met on the way is said in health."""
    try:
        yield from chunks
    except database_errors() as error:
        if is_damage(error):
            damaged(database_words(error))
        raise
