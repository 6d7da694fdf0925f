"""Pushing and reading metrics (R4, R11).

The push routes read the raw body and hand it to `ingest`, which validates
it in one step and answers only after the writer has committed the sample.
`update-metrics` is normally answered by the hot path in front of FastAPI
(`hotpath.py`); the route here documents it and serves the same logic.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Query, Request

from desktop_app.models.samples import STANDARD_METRICS, Sample, public_name
from desktop_app.services.analytics.buckets import Buckets
from desktop_app.services.analytics.detailed import detailed_window
from desktop_app.services.analytics.report import NAMES, AnalyticsService, clean
from desktop_app.services.api.deps import (
    AnalyticsDep,
    Context,
    KnownPlugin,
    Operator,
    SharedDep,
    Viewer,
)
from desktop_app.services.api.ingest import store_batch, store_columns, store_push
from desktop_app.services.api.schemas import (
    MetricsWindow,
    SampleOut,
    StoredAck,
    error_responses,
    iso,
)

router = APIRouter(prefix="/api/advanced-monitoring", tags=["metrics"])

MAX_HOURS = 2160
ERRORS = error_responses(400, 401, 403, 404, 413, 422)
HISTORY_ERRORS = error_responses(400, 401, 403, 404, 413, 422, 503)  # back-fills can wait


def _body_schema(name: str) -> dict[str, object]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
    }


@router.post(
    "/update-metrics",
    response_model=StoredAck,
    responses=ERRORS,
    openapi_extra=_body_schema("MetricsPush"),
    summary="Push one plugin's metrics; answers once they are committed",
)
async def update_metrics(request: Request, ctx: Context, who: Operator) -> StoredAck:
    return await store_push(ctx, await request.body(), who)


@router.post(
    "/update-metrics/batch",
    response_model=StoredAck,
    responses=HISTORY_ERRORS,
    openapi_extra=_body_schema("BatchPush"),
    summary="Push many samples (several plugins and moments) at once; all or nothing",
)
async def update_metrics_batch(request: Request, ctx: Context, who: Operator) -> StoredAck:
    return await store_batch(ctx, await request.body(), who)


@router.post(
    "/update-metrics/columns",
    response_model=StoredAck,
    responses=HISTORY_ERRORS,
    openapi_extra=_body_schema("ColumnsPush"),
    summary="Push one plugin's samples as a list per metric: the fastest way in; all or nothing",
)
async def update_metrics_columns(request: Request, ctx: Context, who: Operator) -> StoredAck:
    return await store_columns(ctx, await request.body(), who)


@router.get(
    "/metrics/{plugin_id}",
    response_model=MetricsWindow,
    responses=error_responses(401, 403, 404, 422),
    summary="Detailed metrics of the last `hours` hours: the series, oldest first, "
    "and its statistics",
)
async def metrics_window(
    plugin: KnownPlugin,
    analytics: AnalyticsDep,
    shared: SharedDep,
    _who: Viewer,
    hours: Annotated[int, Query(ge=1, le=MAX_HOURS, description="window, 1 to 2160")] = 24,
) -> MetricsWindow:
    return await shared.run(
        ("metrics", plugin.id, hours),
        lambda: _window(analytics, plugin.id, plugin.key, hours, time.time()),
    )


def _window(
    analytics: AnalyticsService, plugin_id: int, key: str, hours: int, until: float
) -> MetricsWindow:
    found = detailed_window(analytics.history, plugin_id, key, hours=hours, until=until)
    points = (
        [_sample_out(s) for s in found.samples]
        if found.resolution == "raw"
        else _bucket_points(found.buckets)
    )
    return MetricsWindow(
        plugin_id=key,
        hours=hours,
        resolution=found.resolution,  # type: ignore[arg-type]
        samples=points,
        statistics=found.statistics,
    )


def _sample_out(s: Sample) -> SampleOut:
    return SampleOut(
        timestamp=iso(s.ts),
        **{public_name(name): getattr(s, name) for name in STANDARD_METRICS},
        failed=s.failed,
        custom=s.extras or None,
    )


def _bucket_points(buckets: Buckets) -> list[SampleOut]:
    averages = buckets.average
    return [
        SampleOut.model_validate(
            {
                "timestamp": iso(start / 1_000_000),
                **dict(zip(NAMES, clean(row), strict=False)),
                "failed": bool(failed),
            }
        )
        for start, row, failed in zip(
            buckets.starts.tolist(), averages, buckets.failed.tolist(), strict=True
        )
    ]
