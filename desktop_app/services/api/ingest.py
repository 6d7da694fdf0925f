"""Storing pushed metrics: shared by the routes and the hot path.

Parsing is one step over the raw bytes; the answer waits for the writer's
group commit, so an acknowledged sample is on disk.
"""

from __future__ import annotations

import asyncio
import time
from functools import partial

from pydantic import ValidationError

from desktop_app.errors import UnknownPluginError
from desktop_app.models.auth import Principal
from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.services.api.deps import ApiContext, actor
from desktop_app.services.api.errors import BadBody, bad_body
from desktop_app.services.api.push import BATCH, PUSH, MetricsPush, sample_from
from desktop_app.services.api.schemas import StoredAck, iso
from desktop_app.services.auth.permissions import check_push


async def _known_plugins(ctx: ApiContext, pushes: list[MetricsPush], who: Principal) -> None:
    """Refuse unknown plugins (404) unless auto-registration is on, and
    plugins the key may not push to (403)."""
    registry = ctx.registry
    unknown = set()
    for plugin_id in {push["plugin_id"] for push in pushes}:
        info = registry.get(plugin_id)
        check_push(who, plugin_id, info)
        if info is None:
            unknown.add(plugin_id)
    for plugin_id in sorted(unknown):
        if not ctx.settings.auto_register:
            raise UnknownPluginError(plugin_id)
        await asyncio.to_thread(
            partial(registry.register, actor=actor(who), registered_by=who.key_id),
            plugin_id,
            plugin_id,
            PluginSource.API,
        )


def _refuse_the_future(ctx: ApiContext, pushes: list[MetricsPush], where: str) -> None:
    """A sample dated beyond the allowed clock skew is refused whole (422): a
    wrong clock must not pin a plugin's last sample, or its alerts, in the future."""
    skew = ctx.settings_service.current.max_clock_skew_seconds
    latest = time.time() + skew
    ahead = [
        (index, ts)
        for index, push in enumerate(pushes)
        if (ts := push.get("timestamp")) is not None and ts > latest
    ]
    if ahead:
        raise BadBody(
            422,
            "a sample is dated in the future",
            [
                {
                    "field": where.format(index=index),
                    "problem": f"{iso(ts)} is more than {skew:g} s ahead of this monitor's "
                    "clock (alerts.max_clock_skew_seconds); check the sender's clock",
                }
                for index, ts in ahead[:10]
            ],
        )


def _require_times(pushes: list[MetricsPush]) -> None:
    """History says when it happened: a back-filled sample without a time is refused."""
    missing = [index for index, push in enumerate(pushes) if "timestamp" not in push]
    if missing:
        raise BadBody(
            422,
            "a back-filled sample needs its timestamp",
            [
                {"field": f"samples.{index}.timestamp", "problem": "required when backfill is true"}
                for index in missing[:10]
            ],
        )


async def _store(
    ctx: ApiContext, pushes: list[MetricsPush], who: Principal, *, backfill: bool = False
) -> list[Sample]:
    await _known_plugins(ctx, pushes, who)
    stamp = ctx.clock.stamp
    samples = []
    for push in pushes:
        ts = push.get("timestamp")
        samples.append(sample_from(push, ts if ts is not None else stamp(push["plugin_id"])))
    if backfill:
        for sample in samples:
            sample.backfill = True
    waiting, notify = ctx.waiter.expect()
    ctx.ingest(samples, notify)
    await waiting
    return samples


async def store_push(ctx: ApiContext, body: bytes, who: Principal) -> StoredAck:
    try:
        push = PUSH.validate_json(body)
    except ValidationError as error:
        raise bad_body(error) from None
    _refuse_the_future(ctx, [push], "timestamp")
    (sample,) = await _store(ctx, [push], who)
    return StoredAck.model_construct(
        status="stored", plugin_id=push["plugin_id"], samples=1, timestamp=iso(sample.ts)
    )


async def store_batch(ctx: ApiContext, body: bytes, who: Principal) -> StoredAck:
    try:
        batch = BATCH.validate_json(body)
    except ValidationError as error:
        raise bad_body(error) from None
    backfill = batch.get("backfill", False)
    if backfill:
        _require_times(batch["samples"])
    _refuse_the_future(ctx, batch["samples"], "samples.{index}.timestamp")
    samples = await _store(ctx, batch["samples"], who, backfill=backfill)
    return StoredAck.model_construct(
        status="stored", plugin_id=None, samples=len(samples), timestamp=None
    )
