"""In front of every endpoint: what a hostile web page could use is refused.

- A `Host` this monitor does not answer to gets 421, so a page that rebinds
  its own name to 127.0.0.1 (DNS rebinding) reads nothing.
- A browser `Origin` not in `api.allowed_origins` cannot open the WebSocket
  stream; clients that send no `Origin` (scripts, the CLI) are unaffected.
- Every answer says `X-Content-Type-Options: nosniff`, data is never cached,
  and `/docs` gets a content security policy it still works under.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
from collections.abc import Iterable

import psutil
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop_app.config import ApiSettings

log = logging.getLogger("plugin_monitor.api")

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"", "0.0.0.0", "::"})
DOCS_PATHS = ("/docs", "/redoc")
# Swagger UI loads its script and style from jsDelivr and runs one inline script.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com; frame-ancestors 'none'"
)
ALWAYS = ((b"x-content-type-options", b"nosniff"),)
NO_STORE = ((b"cache-control", b"no-store"),)
DATA_HEADERS = (*ALWAYS, *NO_STORE)
DOCS_HEADERS = (*ALWAYS, (b"content-security-policy", DOCS_POLICY.encode()))
HOST_MEMORY = 1024  # Host headers remembered as allowed or not
MISDIRECTED = 421
FORBIDDEN = 403


def host_name(header: str) -> str:
    """The name in a Host header, without its port: `[::1]:5000` -> `::1`."""
    name = header.strip().lower()
    if name.startswith("["):
        return name[1 : name.find("]")] if "]" in name else name
    return name.rsplit(":", 1)[0] if name.count(":") == 1 else name


def this_machine() -> set[str]:
    """The machine's own names and addresses (for a bind to every interface)."""
    names = {socket.gethostname().lower(), socket.getfqdn().lower()}
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family in (socket.AF_INET, socket.AF_INET6):
                names.add(address.address.split("%", 1)[0].lower())
    return names


def allowed_hosts(settings: ApiSettings) -> frozenset[str]:
    names = set(LOOPBACK_NAMES) | {host_name(h) for h in settings.allowed_hosts}
    if settings.host in WILDCARDS:
        names |= this_machine()
    else:
        names.add(host_name(settings.host) if not _is_v6(settings.host) else settings.host)
    return frozenset(names)


def _is_v6(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 6
    except ValueError:
        return False


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


class BrowserGuard:
    def __init__(
        self, app: ASGIApp, settings: ApiSettings, *, answers_itself: Iterable[str] = ()
    ) -> None:
        """`answers_itself`: paths whose app adds DATA_HEADERS to its own answers
        (the hot path), so their sends need no wrapper on every request."""
        self.app = app
        self.answers_itself = frozenset(answers_itself)
        self.hosts = allowed_hosts(settings)
        self._judged: dict[str, bool] = {}
        self.origins = frozenset(origin.rstrip("/").lower() for origin in settings.allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host")
        if host is not None and not self._allows(host):
            await self._refuse(
                scope,
                send,
                MISDIRECTED,
                f"this monitor does not answer to the host {host_name(host)!r}; if that "
                "name is yours, add it to api.allowed_hosts",
            )
            return
        if kind == "websocket":
            origin = _header(scope, b"origin")
            if origin is not None and origin.rstrip("/").lower() not in self.origins:
                log.warning("refused a WebSocket from the web page origin %r", origin)
                await self._refuse(scope, send, FORBIDDEN, "")
                return
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path in self.answers_itself:
            await self.app(scope, receive, send)
        else:
            headers = DOCS_HEADERS if path.startswith(DOCS_PATHS) else DATA_HEADERS
            await self.app(scope, receive, _with_headers(send, headers))

    def _allows(self, host: str) -> bool:
        judged = self._judged.get(host)
        if judged is None:
            if len(self._judged) >= HOST_MEMORY:
                self._judged.clear()  # a flood of invented names cannot grow it
            judged = self._judged[host] = host_name(host) in self.hosts
        return judged

    @staticmethod
    async def _refuse(scope: Scope, send: Send, status: int, detail: str) -> None:
        if scope["type"] == "websocket":
            # Closing before accepting answers the handshake with 403.
            await send({"type": "websocket.close", "code": 1008})
            return
        body = json.dumps({"detail": detail}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *ALWAYS,
                    *NO_STORE,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _with_headers(send: Send, extra: Iterable[tuple[bytes, bytes]]) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", ()), *extra]}
        await send(message)

    return sending
