"""Pushing and reading metrics (R4, R11).

The push routes read the raw body and validate it in one step with
pydantic's `model_validate_json`, then return only after the writer has
committed the sample: an acknowledged sample survives a crash.
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError

from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.services.api.deps import ApiContext, Context, Operator, Viewer, actor
from desktop_app.services.api.errors import bad_body
from desktop_app.services.api.schemas import (
    BatchPush,
    MetricsPush,
    MetricsWindow,
    SampleOut,
    StoredAck,
    error_responses,
    iso,
    sample_from,
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


def _known_plugins(ctx: ApiContext, pushes: list[MetricsPush], who: str) -> None:
    """Refuse unknown plugins (404) unless auto-registration is on."""
    registry = ctx.monitor.registry
    for push in pushes:
        if registry.id_for(push.plugin_id) is None:
            if not ctx.settings.auto_register:
                raise UnknownPluginError(push.plugin_id)
            registry.register(push.plugin_id, push.plugin_id, PluginSource.API, actor=who)


def _samples(ctx: ApiContext, pushes: list[MetricsPush]) -> list[Sample]:
    return [
        sample_from(
            push,
            push.timestamp.timestamp() if push.timestamp else ctx.clock.stamp(push.plugin_id),
        )
        for push in pushes
    ]


@router.post(
    "/update-metrics",
    response_model=StoredAck,
    responses=ERRORS,
    openapi_extra=_body_schema("MetricsPush"),
    summary="Push one plugin's metrics; answers once they are committed",
)
async def update_metrics(request: Request, ctx: Context, who: Operator) -> StoredAck:
    try:
        push = MetricsPush.model_validate_json(await request.body())
    except ValidationError as error:
        raise bad_body(error) from None
    _known_plugins(ctx, [push], actor(who))
    (sample,) = _samples(ctx, [push])
    await asyncio.wrap_future(ctx.monitor.ingest([sample]))
    return StoredAck(plugin_id=push.plugin_id, samples=1, timestamp=iso(sample.ts))


@router.post(
    "/update-metrics/batch",
    response_model=StoredAck,
    responses=ERRORS,
    openapi_extra=_body_schema("BatchPush"),
    summary="Push many samples (several plugins and moments) at once; all or nothing",
)
async def update_metrics_batch(request: Request, ctx: Context, who: Operator) -> StoredAck:
    try:
        batch = BatchPush.model_validate_json(await request.body())
    except ValidationError as error:
        raise bad_body(error) from None
    _known_plugins(ctx, batch.samples, actor(who))
    samples = _samples(ctx, batch.samples)
    await asyncio.wrap_future(ctx.monitor.ingest(samples))
    return StoredAck(samples=len(samples))


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
