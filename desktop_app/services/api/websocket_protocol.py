"""uvicorn's WebSocket protocol with a shutdown that tolerates a closing peer,
and that gives its connection slot back when it closes (`connections.py`).

uvicorn 0.54 sends its 1012 close frame on shutdown without checking whether
the client has already begun closing; when a client's close frame arrives in
the same loop turn as the shutdown, `send_close` raises `InvalidState`, the
exception ends `Server.serve`, and the other connections are never closed
(seen once in about 500 CI test runs). A connection already closing needs
nothing more from shutdown: its transport is closed and uvicorn reports the
disconnect to the application when the transport is gone.
"""

from __future__ import annotations

from collections.abc import Callable

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State


class WebSocketProtocol(WebSocketsSansIOProtocol):
    on_connection_lost: Callable[[], None] | None = None

    def connection_lost(self, exc: Exception | None) -> None:
        if self.on_connection_lost is not None:
            self.on_connection_lost()
            self.on_connection_lost = None
        super().connection_lost(exc)

    def shutdown(self) -> None:
        if self.handshake_complete and not self.close_sent and self.conn.state is not State.OPEN:
            self.stop_keepalive()
            self.transport.close()
            return
        super().shutdown()
