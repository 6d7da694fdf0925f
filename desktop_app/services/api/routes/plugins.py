"""Plugins: registration (R3), listing, and control (R16)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from desktop_app.errors import UnknownPluginError
from desktop_app.models.plugins import PluginSource
from desktop_app.services.api.deps import Admin, Context, Operator, Viewer, actor
from desktop_app.services.api.schemas import (
    PluginActionOut,
    PluginOut,
    RegisteredOut,
    RegisterPlugin,
    StopAllOut,
    error_responses,
)

router = APIRouter(tags=["plugins"])
ERRORS = error_responses(401, 403, 404, 422)


@router.post(
    "/api/advanced-monitoring/register-plugin",
    response_model=RegisteredOut,
    status_code=201,
    responses={
        200: {"model": RegisteredOut, "description": "already registered"},
        **error_responses(401, 403, 422),
    },
    summary="Register a plugin; registering the same id again changes only its name",
)
def register_plugin(
    body: RegisterPlugin, ctx: Context, who: Operator, response: Response
) -> RegisteredOut:
    registry = ctx.monitor.registry
    existed = registry.get(body.plugin_id) is not None
    info = registry.register(
        body.plugin_id, body.plugin_name or body.plugin_id, PluginSource.API, actor=actor(who)
    )
    if existed:
        response.status_code = 200
    return RegisteredOut(created=not existed, plugin=PluginOut.of(info, []))


@router.get("/api/advanced-monitoring/plugins", response_model=list[PluginOut], responses=ERRORS)
def list_plugins(ctx: Context, _who: Viewer) -> list[PluginOut]:
    open_alerts = ctx.monitor.engine.open_alerts()
    return [PluginOut.of(info, open_alerts) for info in ctx.monitor.registry.all()]


@router.get(
    "/api/advanced-monitoring/plugins/{plugin_id}", response_model=PluginOut, responses=ERRORS
)
def get_plugin(plugin_id: str, ctx: Context, _who: Viewer) -> PluginOut:
    info = ctx.monitor.registry.get(plugin_id)
    if info is None:
        raise UnknownPluginError(plugin_id)
    return PluginOut.of(info, ctx.monitor.engine.open_alerts())


def _set_enabled(ctx: Context, name: str, enabled: bool, who: str) -> PluginActionOut:
    info = ctx.monitor.registry.set_enabled(name, enabled, actor=who)
    state = "enabled" if info.enabled else "disabled"
    return PluginActionOut(plugin_id=name, enabled=info.enabled, detail=f"plugin {name} {state}")


@router.post("/api/plugins/disable/{name}", response_model=PluginActionOut, responses=ERRORS)
def disable_plugin(name: str, ctx: Context, who: Admin) -> PluginActionOut:
    return _set_enabled(ctx, name, False, actor(who))


@router.post("/api/plugins/enable/{name}", response_model=PluginActionOut, responses=ERRORS)
def enable_plugin(name: str, ctx: Context, who: Admin) -> PluginActionOut:
    return _set_enabled(ctx, name, True, actor(who))


@router.post(
    "/api/plugins/restart/{name}",
    responses=error_responses(401, 403, 404, 409, 422),
    summary="Restart a plugin's process (plugins whose process Plugin Monitor manages)",
)
def restart_plugin(name: str, ctx: Context, _who: Admin) -> None:
    if ctx.monitor.registry.get(name) is None:
        raise UnknownPluginError(name)
    raise HTTPException(
        409,
        f"plugin {name} has no process started by Plugin Monitor, so there is nothing to "
        "restart here; restart it where it runs",
    )


@router.post("/api/plugins/stop-all", response_model=StopAllOut, responses=ERRORS)
def stop_all(_ctx: Context, _who: Admin) -> StopAllOut:
    return StopAllOut(
        stopped=[], detail="no plugin process is managed by Plugin Monitor; nothing to stop"
    )
