"""Storing pushed metrics: shared by the routes and the hot path.

Parsing is one step over the raw bytes; the answer waits for the writer's
group commit, so an acknowledged sample is on disk.

Back-filled history waits for the alert engine. Its alerts are evaluated
sample by sample (82,000 samples/s for a block of five metrics, measured with
two soaks running beside it), and the columns route stores 344,000 samples/s,
so a client back-filling an hour of 20 plugins at 50 Hz ran up to 3.6 M
samples ahead of the engine: they waited in its queue, and took the monitor
to 1.6 GiB. A back-fill is now answered 503 with
Retry-After while more than HISTORY_BACKLOG samples wait; the present is
never refused.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from functools import partial
from typing import cast

from fastapi import HTTPException
from pydantic import ValidationError

from desktop_app.errors import UnknownPluginError
from desktop_app.models.auth import Principal
from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.services.api.columns import COLUMNS, block_from
from desktop_app.services.api.deps import ApiContext, actor
from desktop_app.services.api.errors import BadBody, bad_body
from desktop_app.services.api.push import BATCH, PUSH, MetricsPush, sample_from
from desktop_app.services.api.schemas import StoredAck, iso
from desktop_app.services.auth.abuse import seconds_header
from desktop_app.services.auth.permissions import check_push

HISTORY_BACKLOG = 250_000  # samples: about 8 s of the engine's work, some 100 MiB
HISTORY_RETRY_SECONDS = 5


def _room_for_history(ctx: ApiContext) -> None:
    """503 while the alert engine has more than HISTORY_BACKLOG samples to evaluate."""
    waiting = ctx.engine.queued_samples
    if waiting > HISTORY_BACKLOG:
        raise HTTPException(
            503,
            f"the alert engine is still evaluating {waiting:,} samples; back-filled history "
            f"is taken again once it has caught up (retry in {HISTORY_RETRY_SECONDS} s)",
            headers=seconds_header(HISTORY_RETRY_SECONDS),
        )


async def _known_plugins(ctx: ApiContext, plugin_ids: set[str], who: Principal) -> None:
    """Refuse unknown plugins (404) unless auto-registration is on, and
    plugins the key may not push to (403)."""
    registry = ctx.registry
    unknown = set()
    for plugin_id in plugin_ids:
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


def _refuse_the_future(ctx: ApiContext, times: Sequence[float | None], where: str) -> None:
    """A sample dated beyond the allowed clock skew is refused whole (422): a
    wrong clock must not pin a plugin's last sample, or its alerts, in the future."""
    skew = ctx.settings_service.current.max_clock_skew_seconds
    latest = time.time() + skew
    given = [ts for ts in times if ts is not None] if None in times else times
    if not given or max(cast("Sequence[float]", given)) <= latest:
        return
    ahead = [(index, ts) for index, ts in enumerate(times) if ts is not None and ts > latest]
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
    await _known_plugins(ctx, {push["plugin_id"] for push in pushes}, who)
    stamp = ctx.clock.stamp
    samples = []
    for push in pushes:
        ts = push.get("timestamp")
        samples.append(sample_from(push, ts if ts is not None else stamp(push["plugin_id"])))
    if backfill:
        for sample in samples:
            sample.backfill = True
    await _committed(ctx, samples)
    return samples


async def _committed(ctx: ApiContext, samples: Sequence[Sample]) -> None:
    waiting, notify = ctx.waiter.expect()
    ctx.ingest(samples, notify)
    await waiting


async def store_push(ctx: ApiContext, body: bytes, who: Principal) -> StoredAck:
    try:
        push = PUSH.validate_json(body)
    except ValidationError as error:
        raise bad_body(error) from None
    _refuse_the_future(ctx, [push.get("timestamp")], "timestamp")
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
        _room_for_history(ctx)
    _refuse_the_future(
        ctx, [push.get("timestamp") for push in batch["samples"]], "samples.{index}.timestamp"
    )
    samples = await _store(ctx, batch["samples"], who, backfill=backfill)
    return StoredAck.model_construct(
        status="stored", plugin_id=None, samples=len(samples), timestamp=None
    )


async def store_columns(ctx: ApiContext, body: bytes, who: Principal) -> StoredAck:
    try:
        push = COLUMNS.validate_json(body)
    except ValidationError as error:
        raise bad_body(error) from None
    block = block_from(push)
    _refuse_the_future(ctx, block.times, "timestamps[{index}]")
    if block.backfill:
        _room_for_history(ctx)
    await _known_plugins(ctx, {block.plugin_key}, who)
    await _committed(ctx, block)
    return StoredAck.model_construct(
        status="stored", plugin_id=block.plugin_key, samples=len(block), timestamp=None
    )
