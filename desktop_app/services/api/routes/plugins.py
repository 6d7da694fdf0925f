"""Plugins: registration (R3), listing, and control (R16)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from desktop_app.models.plugins import PluginInfo, PluginSource
from desktop_app.services.api.deps import (
    Admin,
    EngineDep,
    KnownPlugin,
    Operator,
    RegistryDep,
    Viewer,
    actor,
)
from desktop_app.services.api.schemas import (
    PluginActionOut,
    PluginOut,
    RegisteredOut,
    RegisterPlugin,
    StopAllOut,
    error_responses,
)
from desktop_app.services.plugins.registry import PluginRegistry

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
    body: RegisterPlugin, registry: RegistryDep, who: Operator, response: Response
) -> RegisteredOut:
    existed = registry.get(body.plugin_id) is not None
    info = registry.register(
        body.plugin_id, body.plugin_name or body.plugin_id, PluginSource.API, actor=actor(who)
    )
    if existed:
        response.status_code = 200
    return RegisteredOut(created=not existed, plugin=PluginOut.of(info, []))


@router.get("/api/advanced-monitoring/plugins", response_model=list[PluginOut], responses=ERRORS)
def list_plugins(registry: RegistryDep, engine: EngineDep, _who: Viewer) -> list[PluginOut]:
    open_alerts = engine.open_alerts()
    return [
        PluginOut.of(info, open_alerts, registry.process_found(info.key)) for info in registry.all()
    ]


@router.get(
    "/api/advanced-monitoring/plugins/{plugin_id}", response_model=PluginOut, responses=ERRORS
)
def get_plugin(
    plugin: KnownPlugin, registry: RegistryDep, engine: EngineDep, _who: Viewer
) -> PluginOut:
    return PluginOut.of(plugin, engine.open_alerts(), registry.process_found(plugin.key))


def _set_enabled(
    registry: PluginRegistry, plugin: PluginInfo, enabled: bool, who: str
) -> PluginActionOut:
    info = registry.set_enabled(plugin.key, enabled, actor=who)
    state = "enabled" if info.enabled else "disabled"
    return PluginActionOut(
        plugin_id=info.key, enabled=info.enabled, detail=f"plugin {info.key} {state}"
    )


@router.post("/api/plugins/disable/{plugin_id}", response_model=PluginActionOut, responses=ERRORS)
def disable_plugin(plugin: KnownPlugin, registry: RegistryDep, who: Admin) -> PluginActionOut:
    return _set_enabled(registry, plugin, False, actor(who))


@router.post("/api/plugins/enable/{plugin_id}", response_model=PluginActionOut, responses=ERRORS)
def enable_plugin(plugin: KnownPlugin, registry: RegistryDep, who: Admin) -> PluginActionOut:
    return _set_enabled(registry, plugin, True, actor(who))


@router.post(
    "/api/plugins/restart/{plugin_id}",
    responses=error_responses(401, 403, 404, 409, 422),
    summary="Restart a plugin's process (plugins whose process Plugin Monitor manages)",
)
def restart_plugin(plugin: KnownPlugin, _who: Admin) -> None:
    raise HTTPException(
        409,
        f"plugin {plugin.key} has no process started by Plugin Monitor, so there is nothing to "
        "restart here; restart it where it runs",
    )


@router.post("/api/plugins/stop-all", response_model=StopAllOut, responses=ERRORS)
def stop_all(_who: Admin) -> StopAllOut:
    return StopAllOut(
        stopped=[], detail="no plugin process is managed by Plugin Monitor; nothing to stop"
    )
