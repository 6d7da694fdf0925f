"""Thresholds over the API: read by anyone, changed by admins, audited (R5)."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import BrokenExecutor

from fastapi import APIRouter, HTTPException

from desktop_app.errors import SettingsError, UnknownPluginError
from desktop_app.models.thresholds import THRESHOLD_NAMES
from desktop_app.services.api.deps import (
    Admin,
    BacktestsDep,
    HeavyDep,
    RegistryDep,
    ThresholdsDep,
    Viewer,
    actor,
)
from desktop_app.services.api.errors import BadBody
from desktop_app.services.api.schemas import (
    BacktestOut,
    BacktestRequest,
    ThresholdsOut,
    ThresholdsUpdate,
    error_responses,
)
from desktop_app.services.thresholds import ThresholdChange, ThresholdSettings

router = APIRouter(prefix="/api/advanced-monitoring", tags=["thresholds"])
ERRORS = error_responses(401, 403, 422)
BACKTEST_BROKEN = (
    "the backtest's process ended before it finished (the monitor's log says more); "
    "try again, a new one is started"
)


def _current(thresholds: ThresholdSettings) -> ThresholdsOut:
    values = thresholds.global_values
    return ThresholdsOut.model_validate(
        {
            "global": {name: float(getattr(values, name)) for name in THRESHOLD_NAMES},
            "plugins": {
                key: {name: float(value) for name, value in overrides.items()}
                for key, overrides in thresholds.all_overrides().items()
            },
        }
    )


@router.get(
    "/thresholds", response_model=ThresholdsOut, response_model_by_alias=True, responses=ERRORS
)
def get_thresholds(thresholds: ThresholdsDep, _who: Viewer) -> ThresholdsOut:
    return _current(thresholds)


@router.put(
    "/thresholds",
    response_model=ThresholdsOut,
    response_model_by_alias=True,
    responses=ERRORS,
    summary="Change thresholds; a null per-plugin value removes that override",
)
def put_thresholds(body: ThresholdsUpdate, thresholds: ThresholdsDep, who: Admin) -> ThresholdsOut:
    changes = [ThresholdChange(name, value) for name, value in (body.global_ or {}).items()]
    for plugin, values in (body.plugins or {}).items():
        changes.extend(ThresholdChange(name, value, plugin) for name, value in values.items())
    try:
        thresholds.update(changes, actor=actor(who))
    except SettingsError as error:
        raise BadBody(
            422, "invalid request body", [{"field": "body", "problem": str(error)}]
        ) from None
    return _current(thresholds)


@router.post(
    "/thresholds/backtest",
    response_model=BacktestOut,
    responses=error_responses(401, 403, 404, 422, 503),
    summary="How many alerts proposed thresholds would have raised over the last days",
    description="Replays the plugin's stored raw samples through the alert rules, once with "
    "the proposed values over its current ones and once with the current ones. Nothing "
    "is saved.",
)
async def backtest_thresholds(
    body: BacktestRequest,
    registry: RegistryDep,
    thresholds: ThresholdsDep,
    backtests: BacktestsDep,
    heavy: HeavyDep,
    _who: Viewer,
) -> BacktestOut:
    plugin = registry.get(body.plugin_id)
    if plugin is None:
        raise UnknownPluginError(body.plugin_id)
    try:
        proposed = thresholds.proposed(plugin.key, body.thresholds)
    except SettingsError as error:
        raise BadBody(
            422, "invalid request body", [{"field": "thresholds", "problem": str(error)}]
        ) from None
    one = [(plugin.key, plugin.id, proposed, thresholds.effective(plugin.key))]
    with heavy.slot():
        try:
            result = await asyncio.wrap_future(
                backtests.submit(one, days=body.days, now=time.time())
            )
        except BrokenExecutor:
            raise HTTPException(503, BACKTEST_BROKEN) from None
    return BacktestOut.model_validate({"plugin_id": plugin.key, **result.as_dict()})
