"""Settings over the API (admin): every setting by dotted key, changed as the
console and the command line change them (`SettingsService.apply`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from desktop_app.errors import SettingsError
from desktop_app.services.api.deps import Admin, SettingsDep, actor
from desktop_app.services.api.errors import BadBody
from desktop_app.services.api.schemas import (
    SettingChangeOut,
    SettingsOut,
    SettingsUpdateOut,
    error_responses,
)
from desktop_app.services.settings import SettingsService

router = APIRouter(prefix="/api/system", tags=["settings"])


def _current(service: SettingsService) -> dict[str, Any]:
    values = service.values()
    return {
        "settings": values,
        "applies_at_next_start": sorted(key for key in values if not service.is_live(key)),
    }


@router.get(
    "/settings",
    response_model=SettingsOut,
    responses=error_responses(401, 403),
    summary="Every setting as it runs now, by dotted key (collection.interval, …)",
)
def get_settings(service: SettingsDep, _who: Admin) -> SettingsOut:
    return SettingsOut.model_validate(_current(service))


@router.put(
    "/settings",
    response_model=SettingsUpdateOut,
    responses=error_responses(400, 401, 403, 422),
    summary="Change settings by dotted key; all are checked before any is saved",
    description="Changes are written to settings.toml, applied at once where they can be "
    "and audited. Those that take effect only at the next start (ports, host, TLS, "
    "storage durability) are listed in `restart_required`.",
)
def put_settings(
    service: SettingsDep,
    who: Admin,
    changes: Annotated[
        dict[str, Any], Body(examples=[{"collection.interval": 10, "alerts.throttle_seconds": 60}])
    ],
) -> SettingsUpdateOut:
    try:
        result = service.apply(changes, actor=actor(who))
    except SettingsError as error:
        field = error.key or "body"
        raise BadBody(422, "invalid settings", [{"field": field, "problem": str(error)}]) from None
    return SettingsUpdateOut.model_validate(
        {
            **_current(service),
            "changed": {
                key: SettingChangeOut(old=old, new=new)
                for key, (old, new) in result.changed.items()
            },
            "restart_required": list(result.restart_required),
        }
    )
