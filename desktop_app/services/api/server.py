"""uvicorn embedded in a thread: the API port and the WebSocket port served
by one event loop, started and stopped within bounded times.

Ports are bound here first, so a port in use is a one-line error naming it
instead of a failure inside uvicorn.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from desktop_app.errors import OperatorError
from desktop_app.services.api.connections import ConnectionLimits, guarded_protocol
from desktop_app.services.api.tls import TlsFiles
from desktop_app.services.api.websocket_protocol import WebSocketProtocol
from desktop_app.services.workers import WorkerHealth, is_running, seconds_left

log = logging.getLogger("plugin_monitor.api")

START_TIMEOUT = 10.0
MAX_STOP_SECONDS = 5.0


@dataclass(frozen=True)
class Endpoint:
    name: str
    app: ASGIApp
    host: str
    port: int
    scheme: str = "http"


def bind(host: str, port: int, name: str) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise OperatorError(
                f"the {name} port {port} on {host} is already in use; stop what uses it or "
                f"choose another port"
            ) from None
        raise OperatorError(
            f"cannot listen on {host}:{port} for the {name}: {error.strerror}"
        ) from None
    sock.listen(2048)
    sock.setblocking(False)
    return sock


class ApiServer:
    """uvicorn for every endpoint, on one event loop in one thread (a `Worker`)."""

    name = "api-server"

    def __init__(
        self,
        endpoints: list[Endpoint],
        *,
        tls: TlsFiles | None = None,
        on_loop: list[Callable[[asyncio.AbstractEventLoop], None]] | None = None,
        limits: ConnectionLimits | None = None,
        keep_alive_seconds: int = 5,
    ) -> None:
        """`limits`: the connection caps and header timeout every endpoint shares."""
        self.endpoints = endpoints
        self._tls = tls
        self._limits = limits
        self._keep_alive = keep_alive_seconds
        self._on_loop = on_loop or []
        self._sockets: list[socket.socket] = []
        self._servers: list[uvicorn.Server] = []
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self.ports: dict[str, int] = {}
        self.loop: asyncio.AbstractEventLoop | None = None

    @property
    def scheme(self) -> str:
        return "https" if self._tls else "http"

    @property
    def external_url(self) -> str:
        """Where this API is reached, for links in webhooks (the first endpoint)."""
        if not self.endpoints or self.endpoints[0].name not in self.ports:
            return ""
        endpoint = self.endpoints[0]
        host = socket.gethostname() if endpoint.host in ("0.0.0.0", "::") else endpoint.host
        host = f"[{host}]" if ":" in host else host
        return f"{self.scheme}://{host}:{self.ports[endpoint.name]}/"

    def start(self) -> None:
        try:
            for endpoint in self.endpoints:
                sock = bind(endpoint.host, endpoint.port, endpoint.name)
                self._sockets.append(sock)
                self.ports[endpoint.name] = sock.getsockname()[1]
        except OperatorError:
            for sock in self._sockets:
                sock.close()
            raise
        tls = self._tls or TlsFiles("", "", None)
        for endpoint in self.endpoints:
            config = uvicorn.Config(
                endpoint.app,
                lifespan="off",
                http=guarded_protocol(self._limits) if self._limits else "auto",
                timeout_keep_alive=self._keep_alive,
                log_config=None,
                access_log=False,
                proxy_headers=False,
                ws=WebSocketProtocol,
                ws_ping_interval=20.0,
                ws_ping_timeout=20.0,
                ws_max_size=1_048_576,
                timeout_graceful_shutdown=3,
                ssl_certfile=tls.cert or None,
                ssl_keyfile=tls.key or None,
                ssl_keyfile_password=tls.passphrase,
            )
            self._servers.append(uvicorn.Server(config))
        self._thread = threading.Thread(target=self._run, name="api-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not all(server.started for server in self._servers):
            if self._failure is not None or not self._thread.is_alive():
                raise OperatorError(f"the API server did not start: {self._failure}")
            if time.monotonic() > deadline:
                raise OperatorError("the API server did not start within 10 s")
            time.sleep(0.01)
        secure = "s" if self.scheme == "https" else ""
        for endpoint in self.endpoints:
            log.info(
                "%s listening on %s%s://%s:%d",
                endpoint.name,
                endpoint.scheme,
                secure,
                endpoint.host,
                self.ports[endpoint.name],
            )

    def _run(self) -> None:
        runner: Callable[[Coroutine[Any, Any, None]], None] = asyncio.run
        try:
            import uvloop

            runner = uvloop.run
        except ImportError:
            pass
        try:
            runner(self._serve())
        except BaseException as error:
            self._failure = error
            log.exception("the API server stopped unexpectedly")

    async def _serve(self) -> None:
        self.loop = asyncio.get_running_loop()
        for callback in self._on_loop:
            callback(self.loop)
        await asyncio.gather(
            *(
                server.serve(sockets=[sock])
                for server, sock in zip(self._servers, self._sockets, strict=True)
            )
        )

    def stop(self, deadline: float) -> bool:
        """Ask uvicorn to finish; force it after half the time (at most 5 s in
        all, so the rest of the monitor keeps time to commit); True if it ended."""
        if self._thread is None:
            return True
        timeout = min(MAX_STOP_SECONDS, seconds_left(deadline))
        for server in self._servers:
            server.should_exit = True
        self._thread.join(timeout / 2)
        if self._thread.is_alive():
            for server in self._servers:
                server.force_exit = True
            self._thread.join(timeout / 2)
        for sock in self._sockets:
            sock.close()
        return not self._thread.is_alive()

    def health(self) -> WorkerHealth:
        failure = None if self._failure is None else str(self._failure)
        return WorkerHealth(
            self.name, running=is_running(self._thread), error=failure, details=dict(self.ports)
        )
