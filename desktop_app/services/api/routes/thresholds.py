"""Thresholds over the API: read by anyone, changed by admins, audited (R5)."""

from __future__ import annotations

from fastapi import APIRouter

from desktop_app.errors import SettingsError
from desktop_app.models.thresholds import THRESHOLD_NAMES
from desktop_app.services.api.deps import Admin, Context, Viewer, actor
from desktop_app.services.api.errors import BadBody
from desktop_app.services.api.schemas import ThresholdsOut, ThresholdsUpdate, error_responses
from desktop_app.services.thresholds import ThresholdChange

router = APIRouter(prefix="/api/advanced-monitoring", tags=["thresholds"])
ERRORS = error_responses(401, 403, 422)


def _current(ctx: Context) -> ThresholdsOut:
    thresholds = ctx.monitor.thresholds
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
def get_thresholds(ctx: Context, _who: Viewer) -> ThresholdsOut:
    return _current(ctx)


@router.put(
    "/thresholds",
    response_model=ThresholdsOut,
    response_model_by_alias=True,
    responses=ERRORS,
    summary="Change thresholds; a null per-plugin value removes that override",
)
def put_thresholds(body: ThresholdsUpdate, ctx: Context, who: Admin) -> ThresholdsOut:
    changes = [ThresholdChange(name, value) for name, value in (body.global_ or {}).items()]
    for plugin, values in (body.plugins or {}).items():
        changes.extend(ThresholdChange(name, value, plugin) for name, value in values.items())
    try:
        ctx.monitor.thresholds.update(changes, actor=actor(who))
    except SettingsError as error:
        raise BadBody(
            422, "invalid request body", [{"field": "body", "problem": str(error)}]
        ) from None
    return _current(ctx)
