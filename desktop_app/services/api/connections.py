"""Hostile clients held off at the connection (slowloris and floods).

uvicorn keeps a connection that never completes its request headers open
for ever (its keep-alive timeout runs only between requests), so 1,000
half-open connections from one host used every file descriptor of a
1,024-descriptor process and the API answered nobody. Here each connection:

- counts against its client address (`api.max_connections_per_client`) and
  the whole server (`api.max_connections`); one over either is answered 503
  and closed at once, so its descriptor is freed in the same loop turn;
- must complete its request headers within `api.header_timeout_seconds` of
  connecting or of its request's first byte, else it is closed.

A WebSocket keeps its slot after the upgrade and gives it back when it closes.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import Counter
from collections.abc import Callable
from typing import Any, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from desktop_app.config import ApiSettings

log = logging.getLogger("plugin_monitor.api")

SWEEP_SECONDS = 1.0
LINGERING = 64  # refused connections awaiting their headers; more are closed outright
HEADER_END_WINDOW = 4  # bytes kept to find the blank line that ends request headers
FULL = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
    b"connection: close\r\ncontent-length: %d\r\n\r\n%s"
)


class ConnectionLimits:
    """Open connections per client address, for every endpoint of one server
    (all on the server's one event loop, so no lock).

    Slow headers are found by one sweep a second over the open connections,
    not by a timer per request: a timer armed and cancelled on every request
    cost the event loop about 3 % of its time under wrk (py-spy)."""

    def __init__(self, settings: ApiSettings) -> None:
        self.per_client = settings.max_connections_per_client
        self.total = settings.max_connections
        self.header_seconds = settings.header_timeout_seconds
        self.open: Counter[str] = Counter()
        self.held = 0  # slots in all, WebSockets' included
        self.connections: set[_Guarded] = set()  # those still speaking HTTP
        self.lingering: set[_Drain] = set()  # refused, their request being drained
        self._sweeping = False
        self._warned: set[str] = set()

    def admit(self, client: str) -> str | None:
        """Take a slot for `client`; the reason it cannot have one, if so."""
        if self.held >= self.total:
            return f"the server holds its most connections ({self.total}); try again shortly"
        if self.open[client] >= self.per_client:
            if client not in self._warned:
                self._warned.add(client)
                log.warning(
                    "refusing connections from %s: it holds %d already "
                    "(api.max_connections_per_client)",
                    client,
                    self.per_client,
                )
            return (
                f"this address holds {self.per_client} connections already "
                "(api.max_connections_per_client); close some first"
            )
        self.open[client] += 1
        self.held += 1
        return None

    def release(self, client: str) -> None:
        self.held -= 1
        self.open[client] -= 1
        if self.open[client] <= 0:
            del self.open[client]
            self._warned.discard(client)

    def refuse(
        self, transport: asyncio.Transport, reason: str, loop: asyncio.AbstractEventLoop
    ) -> None:
        """Answer 503 and close. The answer goes after the client's request
        headers (a client answered before it has asked may not read it), so up
        to `LINGERING` refused connections wait up to a second for them;
        beyond that a flood is closed at once, its descriptors freed in the
        same loop turn."""
        body = b'{"detail": "%s"}' % reason.encode()
        answer = FULL % (len(body), body)
        if len(self.lingering) >= LINGERING:
            transport.write(answer)
            transport.close()
            return
        drain = _Drain(self, answer, loop.time())
        transport.set_protocol(drain)
        drain.connection_made(transport)
        self.lingering.add(drain)
        self._sweep_soon(loop)

    def watch(self, connection: _Guarded, loop: asyncio.AbstractEventLoop) -> None:
        self.connections.add(connection)
        self._sweep_soon(loop)

    def _sweep_soon(self, loop: asyncio.AbstractEventLoop) -> None:
        if not self._sweeping:
            self._sweeping = True
            loop.call_later(SWEEP_SECONDS, self._sweep, loop)

    def _sweep(self, loop: asyncio.AbstractEventLoop) -> None:
        """Close each connection whose request headers are overdue, and each
        refused one drained for a second."""
        now = loop.time()
        late = now - self.header_seconds
        for connection in [c for c in self.connections if c.waiting_since < late]:
            connection.headers_too_slow()
        for drain in [d for d in self.lingering if d.since < now - SWEEP_SECONDS]:
            drain.close()
        if self.connections or self.lingering:
            loop.call_later(SWEEP_SECONDS, self._sweep, loop)
        else:
            self._sweeping = False


def guarded_protocol(limits: ConnectionLimits) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol, bound to `limits`."""

    class GuardedProtocol(_Guarded):
        pass

    GuardedProtocol.limits = limits
    return GuardedProtocol


class _Guarded(HttpToolsProtocol):
    limits: ConnectionLimits

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._slot: str | None = None
        # When the request whose headers are awaited began (loop time); inf: none awaited.
        self.waiting_since = math.inf

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        peer = transport.get_extra_info("peername")
        client = str(peer[0]) if isinstance(peer, tuple) and peer else "unknown"
        refusal = self.limits.admit(client)
        if refusal is not None:  # uvicorn never knows it
            self.transport = transport
            self.limits.refuse(transport, refusal, self.loop)
            return
        self._slot = client
        super().connection_made(transport)
        self.waiting_since = self.loop.time()
        self.limits.watch(self, self.loop)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._slot is None:
            return  # refused, or handed to a WebSocket
        self._give_back()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        if self.waiting_since == math.inf:
            self.waiting_since = self.loop.time()
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        self.waiting_since = math.inf
        super().on_headers_complete()

    def handle_websocket_upgrade(self) -> None:
        """The WebSocket protocol takes the transport, and with it the slot."""
        slot = self._slot
        self.limits.connections.discard(self)
        self._slot = None
        super().handle_websocket_upgrade()
        if slot is not None:
            protocol = self.transport.get_protocol()
            protocol.on_connection_lost = _releaser(self.limits, slot)  # type: ignore[attr-defined]

    def headers_too_slow(self) -> None:
        self.waiting_since = math.inf
        if not self.transport.is_closing():
            self.transport.close()

    def _give_back(self) -> None:
        assert self._slot is not None
        self.limits.connections.discard(self)
        self.limits.release(self._slot)
        self._slot = None


class _Drain(asyncio.Protocol):
    """A refused connection: its 503 is sent once its request headers are in."""

    def __init__(self, limits: ConnectionLimits, answer: bytes, since: float) -> None:
        self.limits = limits
        self.answer = answer
        self.since = since
        self.received = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        self.received = (self.received + data)[-HEADER_END_WINDOW:]
        if b"\r\n\r\n" in self.received:
            self.close()

    def eof_received(self) -> bool:
        self.close()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.limits.lingering.discard(self)

    def close(self) -> None:
        """Answer and close (after a second without its headers, too)."""
        self.limits.lingering.discard(self)
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(self.answer)
            self.transport.close()


def _releaser(limits: ConnectionLimits, slot: str) -> Callable[[], None]:
    return lambda: limits.release(slot)
