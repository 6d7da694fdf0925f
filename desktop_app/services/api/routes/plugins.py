"""Plugins: registration (R3), listing, and control (R16)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter, HTTPException, Request, Response

from desktop_app.loopback import is_loopback
from desktop_app.models.plugins import PluginSource
from desktop_app.services.api.deps import (
    Admin,
    ControlDep,
    EngineDep,
    KnownPlugin,
    Operator,
    RegistryDep,
    Viewer,
    actor,
)
from desktop_app.services.api.schemas import (
    InstallPlugin,
    PluginOut,
    PluginStateOut,
    RegisteredOut,
    RegisterPlugin,
    StopAllOut,
    error_responses,
)
from desktop_app.services.auth.permissions import check_register

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
    existing = registry.get(body.plugin_id)
    check_register(who, body.plugin_id, existing)
    name = body.plugin_name or body.plugin_id
    if existing is not None:
        response.status_code = 200
        info = registry.rename(body.plugin_id, name, actor=actor(who))
    else:
        info = registry.register(
            body.plugin_id,
            name,
            PluginSource.API,
            actor=actor(who),
            registered_by=who.key_id,
            host=body.host,
        )
    return RegisteredOut(created=existing is None, plugin=PluginOut.of(info, []))


@router.get("/api/advanced-monitoring/plugins", response_model=list[PluginOut], responses=ERRORS)
def list_plugins(
    registry: RegistryDep, engine: EngineDep, control: ControlDep, _who: Viewer
) -> list[PluginOut]:
    open_alerts = engine.open_alerts()
    return [
        PluginOut.of(info, open_alerts, registry.process_found(info.key), control.state(info.key))
        for info in registry.all()
    ]


@router.get(
    "/api/advanced-monitoring/plugins/{plugin_id}", response_model=PluginOut, responses=ERRORS
)
def get_plugin(
    plugin: KnownPlugin,
    registry: RegistryDep,
    engine: EngineDep,
    control: ControlDep,
    _who: Viewer,
) -> PluginOut:
    return PluginOut.of(
        plugin, engine.open_alerts(), registry.process_found(plugin.key), control.state(plugin.key)
    )


CONTROL_ERRORS = error_responses(401, 403, 404, 409, 422)


@router.get("/api/plugins", response_model=list[PluginStateOut], responses=ERRORS)
def plugin_states(control: ControlDep, _who: Viewer) -> list[PluginStateOut]:
    """Every plugin's state, including folders whose manifest is invalid."""
    return [PluginStateOut.of(status) for status in control.states()]


@router.post(
    "/api/plugins/{action}/{plugin_id}",
    response_model=PluginStateOut,
    responses=CONTROL_ERRORS,
    summary="start, stop, restart, enable or disable a plugin (R16)",
    description="start, stop and restart apply to plugins whose plugin.toml has a [run] "
    "table (409 otherwise); disable stops a running plugin and keeps it stopped.",
)
def control_plugin(
    action: Literal["start", "stop", "restart", "enable", "disable"],
    plugin_id: str,
    control: ControlDep,
    who: Admin,
) -> PluginStateOut:
    return PluginStateOut.of(control.act(action, plugin_id, actor=actor(who)))


@router.post(
    "/api/plugins/install",
    response_model=PluginStateOut,
    status_code=201,
    responses=error_responses(400, 401, 403, 422),
    summary="Install a plugin from a folder or .tar.gz on the monitor's machine (R25)",
    description="Only from the monitor's own machine (loopback): the path is read there. "
    "The manifest is checked; archive members outside the folder, links and devices are "
    "refused; the installation is audited and raises the security plugin's info alert.",
)
def install(
    body: InstallPlugin, request: Request, control: ControlDep, who: Admin
) -> PluginStateOut:
    if not is_loopback(request.client.host if request.client else None):
        raise HTTPException(403, "plugins are installed from the monitor's own machine only")
    return PluginStateOut.of(control.install(Path(body.path), actor=actor(who)))


@router.post("/api/plugins/stop-all", response_model=StopAllOut, responses=ERRORS)
def stop_all(control: ControlDep, who: Admin) -> StopAllOut:
    stopped = control.stop_all(actor=actor(who))
    return StopAllOut(
        stopped=[PluginStateOut.of(status) for status in stopped],
        detail=f"{len(stopped)} plugin(s) stopped" if stopped else "no plugin was running",
    )
