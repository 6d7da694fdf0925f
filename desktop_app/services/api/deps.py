"""What routes depend on: the runtime context and who is calling."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, HTTPException, Request
from starlette.requests import HTTPConnection

from desktop_app.config import ApiSettings
from desktop_app.models.auth import Principal, Role
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.clock import UniqueClock
from desktop_app.services.storage.samples import SampleQueries

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
    samples: SampleQueries
    clock: UniqueClock


def context(conn: HTTPConnection) -> ApiContext:
    ctx: ApiContext = conn.app.state.ctx
    return ctx


Context = Annotated[ApiContext, Depends(context)]


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def authenticate(conn: HTTPConnection, *, read: bool) -> Principal:
    """The caller's principal, or a 401 that says what is missing."""
    ctx = context(conn)
    header = conn.headers.get("authorization")
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
    client = conn.client.host if conn.client else None
    if read and ctx.settings.anonymous_loopback_reads and is_loopback(client):
        return ANONYMOUS_VIEWER
    raise HTTPException(
        401,
        "an API key is required: send Authorization: Bearer <key> "
        "(create one with: plugin-monitor keys create --role viewer --name NAME)",
        headers={"WWW-Authenticate": "Bearer"},
    )


def require(role: Role) -> Callable[[Request], Principal]:
    """A dependency that admits `role` and the roles above it."""

    def check(request: Request) -> Principal:
        principal = authenticate(request, read=request.method in READ_METHODS)
        if principal.role < role:
            raise HTTPException(
                403,
                f"this needs the {role.label} role; {principal.name} has {principal.role.label}",
            )
        return principal

    return check


Viewer = Annotated[Principal, Depends(require(Role.VIEWER))]
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]


def actor(principal: Principal) -> str:
    return f"{principal.name} (key {principal.key_id})" if principal.key_id else principal.name
