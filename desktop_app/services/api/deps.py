"""What routes depend on: one `Annotated` dependency per collaborator, the
plugin a path names, and who is calling.

Routes name the parts they use (`registry: RegistryDep`), never the monitor
that composed them, so a route can be read, tested and moved on its own.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, HTTPException, Request
from starlette.requests import HTTPConnection

from desktop_app.config import ApiSettings
from desktop_app.errors import UnknownPluginError
from desktop_app.logs import loggable
from desktop_app.loopback import is_loopback
from desktop_app.models.auth import Principal, Role
from desktop_app.models.health import HealthSnapshot
from desktop_app.models.plugins import PluginInfo
from desktop_app.models.samples import Sample
from desktop_app.models.supervision import CONTROL_ACTIONS
from desktop_app.services.alerts.engine import AlertEngine
from desktop_app.services.alerts.silences import SilenceService
from desktop_app.services.analytics.backtest_pool import BacktestPool
from desktop_app.services.analytics.report import AnalyticsService
from desktop_app.services.api.heavy import ExpensiveReads
from desktop_app.services.api.shared_reads import SharedReads
from desktop_app.services.api.waiter import LoopWaiter
from desktop_app.services.auth.abuse import AbuseWatch, seconds_header
from desktop_app.services.auth.keys import ApiKeyStore, tried_key
from desktop_app.services.clock import UniqueClock
from desktop_app.services.operations import CheckReport
from desktop_app.services.plugins.control import PluginControl
from desktop_app.services.plugins.manifest import PLUGIN_KEY_PATTERN
from desktop_app.services.plugins.registry import PluginRegistry
from desktop_app.services.settings import SettingsService
from desktop_app.services.storage.alerts import AlertQueries
from desktop_app.services.storage.audit import AuditLog
from desktop_app.services.storage.samples import SampleStore
from desktop_app.services.storage.writer_items import Notify
from desktop_app.services.thresholds import ThresholdSettings
from desktop_app.services.webhooks.service import WebhookService

if TYPE_CHECKING:
    from desktop_app.services.api.stream import AlertHub

ANONYMOUS_VIEWER = Principal(name="anonymous (loopback)", role=Role.VIEWER)
READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True, kw_only=True)
class ApiParts:
    """The parts of the core the API serves, handed over by whoever composed them."""

    settings: ApiSettings
    registry: PluginRegistry
    engine: AlertEngine
    alerts: AlertQueries
    analytics: AnalyticsService
    backtests: BacktestPool
    thresholds: ThresholdSettings
    samples: SampleStore
    keys: ApiKeyStore
    abuse: AbuseWatch
    audit: AuditLog
    settings_service: SettingsService
    silences: SilenceService
    webhooks: WebhookService
    plugins: PluginControl
    ingest: Callable[[Sequence[Sample], Notify], None]
    health: Callable[[], HealthSnapshot]
    check: Callable[[], CheckReport]
    # A backup in the backup folder, by name, restored by an actor: what it did.
    restore: Callable[[str, str], str]
    # SQLite's words for a damaged file, to the operator's message (said once in health).
    database_damaged: Callable[[str], str]
    # The Prometheus text of /metrics, made at each scrape.
    prometheus: Callable[[], bytes]


@dataclass(frozen=True, kw_only=True)
class ApiContext(ApiParts):
    """The parts plus what the API itself adds: the stream hub, the clock
    that stamps pushes and the waiter that answers on commit."""

    hub: AlertHub
    clock: UniqueClock
    waiter: LoopWaiter
    heavy: ExpensiveReads
    shared: SharedReads


def context(conn: HTTPConnection) -> ApiContext:
    ctx: ApiContext = conn.app.state.ctx
    return ctx


async def _context_dependency(request: Request) -> ApiContext:
    """Async so FastAPI runs it inline instead of hopping to a worker thread."""
    return context(request)


Context = Annotated[ApiContext, Depends(_context_dependency)]


def _part(name: str) -> Callable[[Request], Coroutine[Any, Any, Any]]:
    async def part(request: Request) -> Any:
        return getattr(context(request), name)

    part.__name__ = f"{name}_part"
    return part


RegistryDep = Annotated[PluginRegistry, Depends(_part("registry"))]
EngineDep = Annotated[AlertEngine, Depends(_part("engine"))]
AlertsDep = Annotated[AlertQueries, Depends(_part("alerts"))]
AnalyticsDep = Annotated[AnalyticsService, Depends(_part("analytics"))]
ThresholdsDep = Annotated[ThresholdSettings, Depends(_part("thresholds"))]
SamplesDep = Annotated[SampleStore, Depends(_part("samples"))]
SettingsDep = Annotated[SettingsService, Depends(_part("settings_service"))]
SilencesDep = Annotated[SilenceService, Depends(_part("silences"))]
WebhooksDep = Annotated[WebhookService, Depends(_part("webhooks"))]
ControlDep = Annotated[PluginControl, Depends(_part("plugins"))]
AuditDep = Annotated[AuditLog, Depends(_part("audit"))]
HeavyDep = Annotated[ExpensiveReads, Depends(_part("heavy"))]
SharedDep = Annotated[SharedReads, Depends(_part("shared"))]
BacktestsDep = Annotated[BacktestPool, Depends(_part("backtests"))]


async def _alert_language(request: Request) -> str:
    return context(request).settings_service.current.alerts_language


AlertLanguage = Annotated[str, Depends(_alert_language)]


async def _known_plugin(plugin_id: str, request: Request) -> PluginInfo:
    """The registered plugin the path names, or 404 naming it."""
    info = context(request).registry.get(plugin_id)
    if info is None:
        raise UnknownPluginError(plugin_id)
    return info


KnownPlugin = Annotated[PluginInfo, Depends(_known_plugin)]


FORWARDING_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(conn: HTTPConnection, settings: ApiSettings) -> str | None:
    """The address anonymous access is judged on. A trusted proxy's request is
    judged on the client its X-Forwarded-For names (the nearest address that is
    not itself a trusted proxy); a forwarded request from any other peer is
    judged on no address at all, so it is never anonymous."""
    peer = _address(conn.client.host) if conn.client else None
    trusted = settings.trusted_proxies
    forwarded_for = conn.headers.get("x-forwarded-for")
    if peer is not None and peer in trusted and forwarded_for is not None:
        chain = [_address(part) for part in forwarded_for.split(",")]
        for address in reversed(chain):
            if address is None or address not in trusted:
                return address
        return chain[0]
    if peer is not None and peer in trusted:
        return peer
    if any(name in conn.headers for name in FORWARDING_HEADERS):
        return None
    return peer


# Routes whose work a command on the monitor's machine does without a key,
# named in their 401 so an operator there need not make one.
CLI_TWINS = {
    ("GET", "/api/system/settings"): "plugin-monitor settings get",
    ("PUT", "/api/system/settings"): "plugin-monitor settings set KEY VALUE",
    (
        "PUT",
        "/api/advanced-monitoring/thresholds",
    ): "plugin-monitor settings set thresholds.NAME VALUE",
    ("GET", "/api/advanced-monitoring/alerts"): "plugin-monitor alerts",
    ("GET", "/api/plugins"): "plugin-monitor plugins list",
    ("POST", "/api/plugins/stop-all"): "plugin-monitor plugins stop-all",
    ("POST", "/api/plugins/{action}/{plugin_id}"): "plugin-monitor plugins {action} {plugin_id}",
}


def _twin(conn: HTTPConnection) -> str | None:
    """The command that does what this route does, with the route's own plugin
    and action filled in when they are well formed (never raw text from the URL)."""
    route = getattr(conn.scope.get("route"), "path", "")
    twin = CLI_TWINS.get((conn.scope.get("method", ""), route))
    if twin is None or "{" not in twin:
        return twin
    params = conn.path_params
    action, plugin = params.get("action", ""), params.get("plugin_id", "")
    return twin.format(
        action=action if action in CONTROL_ACTIONS else "ACTION",
        plugin_id=plugin if PLUGIN_KEY_PATTERN.match(plugin) else "NAME",
    )


def authenticate(
    conn: HTTPConnection, ctx: ApiContext, *, read: bool, needed: Role = Role.VIEWER
) -> Principal:
    """The caller's principal, or a 401 that says what is missing."""
    client = client_address(conn, ctx.settings)
    principal = principal_for(
        conn.headers.get("authorization"),
        client,
        ctx,
        read=read,
        needed=needed,
        twin=_twin(conn),
        route=conn.url.path,
    )
    return replace(principal, address=client)


def principal_for(
    header: str | None,
    client: str | None,
    ctx: ApiContext,
    *,
    read: bool,
    needed: Role = Role.VIEWER,
    twin: str | None = None,
    route: str = "",
) -> Principal:
    """`authenticate` from the raw Authorization header and client address;
    a missing key is refused naming the role the route needs, and the
    command that does the same on the monitor's machine (`twin`). A bad key
    counts against the client (`AbuseWatch`); a locked-out client without a
    valid key, and a key over its rate, get 429."""
    if header:
        principal = _keyed(header, client, ctx, route)
        if principal.key_id is not None:
            ingest = principal.scope.ingest_only
            wait = ctx.abuse.admit(principal.key_id, principal.name, ingest=ingest)
            if wait:
                setting = "ingest_rate_limit_per_minute" if ingest else "rate_limit_per_minute"
                raise HTTPException(
                    429,
                    f"the API key {principal.name} made more requests this minute than its "
                    f"rate allows (security.{setting}); try again later",
                    headers=seconds_header(wait),
                )
        return principal
    _refuse_if_locked_out(client, ctx)
    if read and ctx.settings.anonymous_loopback_reads and is_loopback(client):
        return ANONYMOUS_VIEWER
    detail = (
        f"this needs an API key with the {needed.label} role: send Authorization: Bearer "
        f"<key> (create one with: plugin-monitor keys create --role {needed.label} --name NAME)"
    )
    if twin:
        detail += f"; on the monitor's machine, `{twin}` does this without a key"
    raise HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def _keyed(header: str, client: str | None, ctx: ApiContext, route: str) -> Principal:
    """The principal of a presented key; a bad one is a counted failure."""
    scheme, _, token = header.partition(" ")
    token = token.strip()
    well_formed = scheme.lower() == "bearer" and bool(token)
    principal = ctx.keys.verify(token, client) if well_formed else None
    if principal is not None:
        return principal
    _refuse_if_locked_out(client, ctx)
    ctx.abuse.failed(
        client,
        tried_key(token) if well_formed else "a malformed Authorization header",
        loggable(route),
    )
    raise HTTPException(
        401,
        "unknown, revoked or expired API key"
        if well_formed
        else "the Authorization header must read: Bearer <API key>",
        headers={"WWW-Authenticate": "Bearer"},
    )


def _refuse_if_locked_out(client: str | None, ctx: ApiContext) -> None:
    left = ctx.abuse.lockout_left(client)
    if left:
        raise HTTPException(
            429,
            "too many bad API keys from this address; requests without a valid key are "
            f"refused for {math.ceil(left)} s more",
            headers=seconds_header(left),
        )


def check_role(principal: Principal, role: Role) -> None:
    if principal.role < role:
        raise HTTPException(
            403, f"this needs the {role.label} role; {principal.name} has {principal.role.label}"
        )


class RoleCheck:
    """A dependency that admits `role` and the roles above it (async: inline,
    no thread). The role it needs is readable, so the OpenAPI schema and the
    endpoint reference say it per route (`x-role`)."""

    def __init__(self, role: Role) -> None:
        self.role = role

    async def __call__(self, request: Request) -> Principal:
        role = self.role
        ctx = context(request)
        principal = authenticate(request, ctx, read=request.method in READ_METHODS, needed=role)
        try:
            check_role(principal, role)
            if principal.scope.ingest_only:
                _check_ingest_route(request)
        except HTTPException:
            if role is Role.ADMIN:  # an attempt on an admin route is worth a row
                ctx.audit.record_later(
                    actor=actor(principal),
                    action="auth.forbidden",
                    target=f"{request.method} {loggable(request.url.path)}",
                )
            raise
        return principal


Viewer = Annotated[Principal, Depends(RoleCheck(Role.VIEWER))]
Operator = Annotated[Principal, Depends(RoleCheck(Role.OPERATOR))]
Admin = Annotated[Principal, Depends(RoleCheck(Role.ADMIN))]


INGEST_ONLY = "this key was created with --ingest: it may only push metrics and register plugins"
# What a key created with --ingest may call (and who it is, to check its key).
INGEST_ROUTES = frozenset(
    {
        ("POST", "/api/advanced-monitoring/register-plugin"),
        ("POST", "/api/advanced-monitoring/update-metrics"),
        ("POST", "/api/advanced-monitoring/update-metrics/batch"),
        ("POST", "/api/advanced-monitoring/update-metrics/columns"),
        ("GET", "/api/status"),
    }
)


def _check_ingest_route(request: Request) -> None:
    route = getattr(request.scope.get("route"), "path", "")
    if (request.method, route) not in INGEST_ROUTES:
        raise HTTPException(403, INGEST_ONLY)


def actor(principal: Principal) -> str:
    """Who acts, as the audit trail names them: the key and the address."""
    who = f"{principal.name} (key {principal.key_id})" if principal.key_id else principal.name
    return f"{who} from {principal.address}" if principal.address else who
