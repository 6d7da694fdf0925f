"""Pushing and reading metrics (R4, R11).

The push routes read the raw body and hand it to `ingest`, which validates
it in one step and answers only after the writer has committed the sample.
`update-metrics` is normally answered by the hot path in front of FastAPI
(`hotpath.py`); the route here documents it and serves the same logic.
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Query, Request

from desktop_app.services.api.deps import Context, Operator, Viewer
from desktop_app.services.api.ingest import store_batch, store_push
from desktop_app.services.api.schemas import (
    MetricsWindow,
    SampleOut,
    StoredAck,
    error_responses,
    iso,
)
from desktop_app.services.storage.writer import UnknownPluginError

router = APIRouter(prefix="/api/advanced-monitoring", tags=["metrics"])

MAX_HOURS = 2160
ERRORS = error_responses(400, 401, 403, 404, 413, 422)


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
    responses=ERRORS,
    openapi_extra=_body_schema("BatchPush"),
    summary="Push many samples (several plugins and moments) at once; all or nothing",
)
async def update_metrics_batch(request: Request, ctx: Context, who: Operator) -> StoredAck:
    return await store_batch(ctx, await request.body(), who)


@router.get(
    "/metrics/{plugin_id}",
    response_model=MetricsWindow,
    responses=error_responses(401, 403, 404, 422),
    summary="The stored samples of the last `hours` hours, oldest first",
)
async def metrics_window(
    plugin_id: str,
    ctx: Context,
    _who: Viewer,
    hours: Annotated[int, Query(ge=1, le=MAX_HOURS, description="window, 1 to 2160")] = 24,
) -> MetricsWindow:
    plugin = ctx.monitor.registry.get(plugin_id)
    if plugin is None:
        raise UnknownPluginError(plugin_id)
    until = time.time()
    samples = await asyncio.to_thread(
        ctx.samples.window, plugin.id, plugin.key, until - hours * 3600, until
    )
    return MetricsWindow(
        plugin_id=plugin_id,
        hours=hours,
        samples=[
            SampleOut(
                timestamp=iso(s.ts),
                cpu_usage=s.cpu_percent,
                memory_usage=s.memory_percent,
                response_time=s.response_time,
                error_count=s.error_count,
                request_count=s.request_count,
                memory_rss=s.memory_rss,
                memory_vms=s.memory_vms,
                connections_active=s.connections_active,
                connections_total=s.connections_total,
                threads=s.threads,
                disk_read_bytes=s.disk_read_bytes,
                disk_write_bytes=s.disk_write_bytes,
                net_recv_bytes=s.net_recv_bytes,
                net_sent_bytes=s.net_sent_bytes,
                failed=s.failed,
            )
            for s in samples
        ],
    )
