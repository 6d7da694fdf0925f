"""A client closing in the same loop turn as the server's shutdown."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from typing import Any

import pytest
import uvicorn
from websockets.frames import Frame
from websockets.sync.client import connect

from desktop_app.services.api.websocket_protocol import WebSocketProtocol

Message = dict[str, Any]


class ShutdownOnClientClose(WebSocketProtocol):
    """Shuts down right after the client's close frame, before the transport is gone:
    the turn in which uvicorn's own shutdown raised InvalidState."""

    def handle_close(self, event: Frame) -> None:
        super().handle_close(event)
        self.shutdown()


def test_shutdown_while_the_client_closes_ends_quietly(caplog: pytest.LogCaptureFixture) -> None:
    events: list[str] = []

    async def app(scope: Message, receive: Any, send: Any) -> None:
        assert scope["type"] == "websocket"
        await receive()
        await send({"type": "websocket.accept"})
        events.append((await receive())["type"])

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, ws=ShutdownOnClientClose, lifespan="off", log_config=None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=asyncio.run, args=(server.serve(sockets=[sock]),))
    thread.start()
    try:
        while not server.started:
            thread.join(0.01)
        with connect(f"ws://127.0.0.1:{sock.getsockname()[1]}/", open_timeout=5):
            pass
        while not events:
            thread.join(0.01)
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()
    assert events == ["websocket.disconnect"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
