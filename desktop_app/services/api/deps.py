"""What routes depend on: the runtime context and who is calling."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, HTTPException, Request
from starlette.requests import HTTPConnection

from desktop_app.config import ApiSettings
from desktop_app.models.auth import Principal, Role
from desktop_app.services.api.waiter import LoopWaiter
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.clock import UniqueClock
from desktop_app.services.storage.samples import SampleStore

if TYPE_CHECKING:
    from desktop_app.services.api.stream import AlertHub
    from desktop_app.services.runtime import PluginMonitor

ANONYMOUS_VIEWER = Principal(name="anonymous (loopback)", role=Role.VIEWER)
READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class ApiContext:
    monitor: PluginMonitor
    keys: ApiKeyStore
    settings: ApiSettings
    hub: AlertHub
    samples: SampleStore
    clock: UniqueClock
    waiter: LoopWaiter


def context(conn: HTTPConnection) -> ApiContext:
    ctx: ApiContext = conn.app.state.ctx
    return ctx


async def _context_dependency(request: Request) -> ApiContext:
    """Async so FastAPI runs it inline instead of hopping to a worker thread."""
    return context(request)


Context = Annotated[ApiContext, Depends(_context_dependency)]


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def authenticate(conn: HTTPConnection, ctx: ApiContext, *, read: bool) -> Principal:
    """The caller's principal, or a 401 that says what is missing."""
    client = conn.client.host if conn.client else None
    return principal_for(conn.headers.get("authorization"), client, ctx, read=read)


def principal_for(
    header: str | None, client: str | None, ctx: ApiContext, *, read: bool
) -> Principal:
    """`authenticate` from the raw Authorization header and client address."""
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HTTPException(
                401,
                "the Authorization header must read: Bearer <API key>",
                headers={"WWW-Authenticate": "Bearer"},
            )
        principal = ctx.keys.verify(token.strip())
        if principal is None:
            raise HTTPException(
                401,
                "unknown or revoked API key",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return principal
    if read and ctx.settings.anonymous_loopback_reads and is_loopback(client):
        return ANONYMOUS_VIEWER
    raise HTTPException(
        401,
        "an API key is required: send Authorization: Bearer <key> "
        "(create one with: plugin-monitor keys create --role viewer --name NAME)",
        headers={"WWW-Authenticate": "Bearer"},
    )


def check_role(principal: Principal, role: Role) -> None:
    if principal.role < role:
        raise HTTPException(
            403, f"this needs the {role.label} role; {principal.name} has {principal.role.label}"
        )


def require(role: Role) -> Callable[[Request], Coroutine[Any, Any, Principal]]:
    """A dependency that admits `role` and the roles above it (async: inline, no thread)."""

    async def check(request: Request) -> Principal:
        principal = authenticate(request, context(request), read=request.method in READ_METHODS)
        check_role(principal, role)
        return principal

    return check


Viewer = Annotated[Principal, Depends(require(Role.VIEWER))]
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]


def actor(principal: Principal) -> str:
    return f"{principal.name} (key {principal.key_id})" if principal.key_id else principal.name
