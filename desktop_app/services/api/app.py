"""The FastAPI application and the small WebSocket-only app for port 8765."""

from __future__ import annotations

from typing import Any, cast

from fastapi import FastAPI, WebSocket
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from starlette.types import ASGIApp

from desktop_app import __version__
from desktop_app.models.auth import Role
from desktop_app.services.api import errors
from desktop_app.services.api.columns import COLUMNS
from desktop_app.services.api.deps import ApiContext, RoleCheck
from desktop_app.services.api.hotpath import HotPath
from desktop_app.services.api.limits import BodySizeLimit
from desktop_app.services.api.push import BATCH, PUSH
from desktop_app.services.api.routes import (
    alerts,
    analytics,
    audit,
    metrics,
    plugins,
    settings,
    silences,
    system,
    thresholds,
    webhooks,
)

DESCRIPTION = """
The Plugin Monitor API. Writes need `Authorization: Bearer <API key>`
(`plugin-monitor keys create`); reads from this machine are served without a key
as viewer unless `api.anonymous_loopback_reads` is off. Errors are JSON with a
`detail` and, for a wrong body, `errors` naming each field at fault.
"""


ROUTERS = tuple(
    module.router
    for module in (
        plugins,
        metrics,
        analytics,
        alerts,
        silences,
        webhooks,
        thresholds,
        settings,
        system,
        audit,
    )
)


def create_app(ctx: ApiContext) -> FastAPI:
    app = FastAPI(
        title="Plugin Monitor",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.ctx = ctx
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)

    @app.websocket("/ws")
    async def alert_stream(websocket: WebSocket) -> None:
        await ctx.hub.serve(websocket)

    def openapi() -> dict[str, Any]:
        """The generated schema, plus the push bodies the hot routes parse themselves."""
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for name, adapter in (
                ("MetricsPush", PUSH),
                ("BatchPush", BATCH),
                ("ColumnsPush", COLUMNS),
            ):
                definition = adapter.json_schema(ref_template="#/components/schemas/{model}")
                components.update(definition.pop("$defs", {}))
                components[name] = definition
            for route in (r for router in ROUTERS for r in router.routes):
                if isinstance(route, APIRoute) and (role := required_role(route)) is not None:
                    for method in route.methods or ():
                        schema["paths"][route.path_format][method.lower()]["x-role"] = role.label
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def required_role(route: APIRoute) -> Role | None:
    """The lowest role a route admits (None: it checks keys itself, or none)."""
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        if isinstance(dependant.call, RoleCheck):
            return dependant.call.role
        pending += dependant.dependencies
    return None


def schema_app() -> FastAPI:
    """The application for its routes and schema only (the endpoint
    reference): nothing is served, so no monitor stands behind it."""
    return create_app(cast("ApiContext", None))


def create_stream_app(ctx: ApiContext) -> FastAPI:
    """The guide's `ws://127.0.0.1:8765/`: the alert stream alone."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.ctx = ctx

    @app.websocket("/")
    async def alert_stream(websocket: WebSocket) -> None:
        await ctx.hub.serve(websocket)

    return app


def front(app: FastAPI, ctx: ApiContext, max_body_bytes: int) -> ASGIApp:
    """What uvicorn serves: the hot path, then the body-size limit, then FastAPI."""
    return HotPath(BodySizeLimit(app, max_body_bytes), ctx, max_body_bytes)
