"""A remote monitor's live events: its WebSocket stream, followed across
reconnections by one owned thread.

The console subscribes to every plugin's samples besides the alerts. After a
lost connection it asks the monitor to replay the alert events it missed
(`last_seq`), so an alert raised while the network was down is still told,
once; samples missed meanwhile are in the history the pages read.
"""

from __future__ import annotations

import json
import logging
import ssl
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from desktop_app.models.alerts import AlertEvent
from desktop_app.models.samples import SampleBlock
from desktop_app.services.remote.convert import block_of, event_of

log = logging.getLogger("plugin_monitor.remote")

FIRST_DELAY, MAX_DELAY = 0.5, 30.0


def stream_url(api_url: str) -> str:
    """The stream beside the API: `https://host:port` → `wss://host:port/ws`."""
    parts = urlsplit(api_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + "/ws", "", ""))


class RemoteStream:
    """Follows the stream until `stop`; each event is handed to a callback on
    this thread (the console's bridge queues it to the UI thread)."""

    def __init__(
        self,
        api_url: str,
        key: str,
        *,
        on_event: Callable[[AlertEvent], None],
        on_samples: Callable[[SampleBlock], None],
        on_state: Callable[[str | None], None],
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.url = stream_url(api_url)
        self._headers = {"Authorization": f"Bearer {key}"}
        self._tls = tls
        self._on_event, self._on_samples, self._on_state = on_event, on_samples, on_state
        self._stopping = threading.Event()
        self._connection: ClientConnection | None = None
        self.last_seq: int | None = None
        self._thread = threading.Thread(target=self._run, name="remote-stream", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float) -> None:
        self._stopping.set()
        if (connection := self._connection) is not None:
            connection.close()
        self._thread.join(timeout)

    def _run(self) -> None:
        delay = FIRST_DELAY
        while not self._stopping.is_set():
            problem = self._session()
            if self._stopping.is_set():
                return
            if problem is None:
                delay = FIRST_DELAY
                problem = "the stream was closed"
            self._on_state(f"{problem}; reconnecting in {delay:g} s")
            self._stopping.wait(delay)
            delay = min(delay * 2, MAX_DELAY)

    def _session(self) -> str | None:
        """One connection; None once it had opened, else what went wrong."""
        target = self.url + (f"?last_seq={self.last_seq}" if self.last_seq is not None else "")
        options: dict[str, Any] = {"ssl": self._tls} if self._tls is not None else {}
        try:
            with connect(
                target, additional_headers=self._headers, open_timeout=5, **options
            ) as connection:
                self._connection = connection
                connection.send(json.dumps({"type": "subscribe_samples"}))
                self._on_state(None)
                for raw in connection:
                    self._handle(json.loads(raw))
            return None
        except ConnectionClosed:
            return None
        except InvalidStatus as refused:
            return f"the stream refused the connection (HTTP {refused.response.status_code})"
        except (OSError, InvalidHandshake, TimeoutError) as error:
            return f"no stream at {self.url} ({type(error).__name__})"
        finally:
            self._connection = None

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "alert":
            event = event_of(message)
            self.last_seq = event.seq
            self._on_event(event)
        elif kind == "samples":
            self._on_samples(block_of(message))
        elif kind == "welcome" and self.last_seq is None:
            self.last_seq = int(message["last_seq"])
        elif kind == "error":
            log.warning("the remote stream says: %s", message.get("detail"))
