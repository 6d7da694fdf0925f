"""`plugin-monitor alerts --follow`: print alerts as they arrive.

The client reconnects by itself with back-off and resumes from the last
sequence number it printed, so a restart of the monitor loses nothing and
repeats nothing. Filters travel in the URL so they apply to the replay too.
Resuming replays history, which takes a key; a client without one goes on
with live events and says once that it cannot show what it missed.
"""

from __future__ import annotations

import json
import ssl
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO
from urllib.parse import urlencode

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.sync.client import connect

CLOSE_UNAUTHORIZED = 4401
MAX_DELAY = 30.0


class FollowError(Exception):
    """A fault that retrying cannot mend (a refused key or certificate)."""


def certificate_refused(error: ssl.SSLCertVerificationError) -> FollowError:
    return FollowError(
        f"the server's certificate was refused: {error.verify_message or error.reason}; "
        "if the monitor uses a certificate of its own, give it with --cafile PEM"
    )


def format_alert(message: dict[str, Any]) -> str:
    alert = message["alert"]
    head = "RESOLVED" if message.get("recovery") else f"{alert['level'].upper()} {message['event']}"
    return (
        f"{message.get('at') or ''} {head} {alert['plugin_id']}/{alert['rule']} "
        f"#{alert['id']}: {alert['message']} (seq {message['seq']})"
    )


def follow(
    url: str,
    *,
    token: str | None,
    plugins: Sequence[str],
    levels: Sequence[str],
    tls: ssl.SSLContext | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    follower = _Follower(url, token, tls, out, err)
    delay = 0.5
    while True:
        if follower.session(plugins, levels):
            delay = 0.5
        print(f"connection lost; reconnecting in {delay:g}s", file=err, flush=True)
        time.sleep(delay)
        delay = min(delay * 2, MAX_DELAY)


class _Follower:
    """One client across reconnections: where it is in the stream, and what
    the server last said was wrong."""

    def __init__(
        self, url: str, token: str | None, tls: ssl.SSLContext | None, out: TextIO, err: TextIO
    ) -> None:
        self.url, self.out, self.err = url, out, err
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.options: dict[str, Any] = {"ssl": tls} if tls is not None else {}
        self.last_seq: int | None = None
        # Replaying what was missed needs a key; without one, live events only.
        self.resumes = token is not None
        self.said_no_replay = False
        self.server_said = ""

    def session(self, plugins: Sequence[str], levels: Sequence[str]) -> bool:
        """Follow until the connection ends; True if it had opened. Faults that
        retrying cannot mend raise FollowError."""
        query: list[tuple[str, str]] = [("plugin_id", p) for p in plugins]
        if levels:
            query.append(("levels", ",".join(levels)))
        if self.last_seq is not None and self.resumes:
            query.append(("last_seq", str(self.last_seq)))
        elif self.last_seq is not None and not self.said_no_replay:
            self.said_no_replay = True
            print(
                "without a key, alerts raised while disconnected are not shown "
                "(give --token-file or run on the monitor's machine)",
                file=self.err,
                flush=True,
            )
        target = self.url + ("?" + urlencode(query) if query else "")
        try:
            with connect(
                target, additional_headers=self.headers, open_timeout=5, **self.options
            ) as ws:
                for raw in ws:
                    self._print(json.loads(raw))
            return True
        except ConnectionClosed as closed:
            if closed.rcvd is not None and closed.rcvd.code == CLOSE_UNAUTHORIZED:
                raise FollowError(
                    f"the server refused: {self.server_said or closed.rcvd.reason or 'no key'}"
                ) from None
            return True
        except InvalidStatus as refused:
            if refused.response.status_code in (401, 403):
                raise FollowError("the server refused the key") from None
        except ssl.SSLCertVerificationError as refused:
            raise certificate_refused(refused) from None
        except ssl.SSLError as failed:
            raise FollowError(f"TLS with the server failed: {failed.reason or failed}") from None
        except (OSError, InvalidHandshake, TimeoutError):
            pass
        return False

    def _print(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "welcome" and self.last_seq is None:
            self.last_seq = int(message["last_seq"])
            print(f"following alerts at {self.url} (Ctrl+C to stop)", file=self.err, flush=True)
        elif kind == "alert":
            print(format_alert(message), file=self.out, flush=True)
            self.last_seq = int(message["seq"])
        elif kind == "error":
            self.server_said = str(message.get("detail"))
            print(f"server: {self.server_said}", file=self.err, flush=True)
