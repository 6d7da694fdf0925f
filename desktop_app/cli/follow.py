"""`plugin-monitor alerts --follow`: print alerts as they arrive.

The client reconnects by itself with back-off and resumes from the last
sequence number it printed, so a restart of the monitor loses nothing and
repeats nothing. Filters travel in the URL so they apply to the replay too.
"""

from __future__ import annotations

import json
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
    """A fault that retrying cannot mend (a refused key)."""


def format_alert(message: dict[str, Any]) -> str:
    alert = message["alert"]
    return (
        f"{message.get('at') or ''} {alert['level'].upper()} {message['event']} "
        f"{alert['plugin_id']}/{alert['rule']} #{alert['id']}: {alert['message']} "
        f"(seq {message['seq']})"
    )


def follow(
    url: str,
    *,
    token: str | None,
    plugins: Sequence[str],
    levels: Sequence[str],
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    last_seq: int | None = None
    delay = 0.5
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    while True:
        query: list[tuple[str, str]] = [("plugin_id", p) for p in plugins]
        if levels:
            query.append(("levels", ",".join(levels)))
        if last_seq is not None:
            query.append(("last_seq", str(last_seq)))
        target = url + ("?" + urlencode(query) if query else "")
        try:
            with connect(target, additional_headers=headers, open_timeout=5) as socket:
                delay = 0.5
                for raw in socket:
                    message = json.loads(raw)
                    kind = message.get("type")
                    if kind == "welcome" and last_seq is None:
                        last_seq = int(message["last_seq"])
                        print(f"following alerts at {url} (Ctrl+C to stop)", file=err, flush=True)
                    elif kind == "alert":
                        print(format_alert(message), file=out, flush=True)
                        last_seq = int(message["seq"])
                    elif kind == "error":
                        print(f"server: {message.get('detail')}", file=err, flush=True)
        except ConnectionClosed as closed:
            if closed.rcvd is not None and closed.rcvd.code == CLOSE_UNAUTHORIZED:
                raise FollowError(
                    f"the server refused the key: {closed.rcvd.reason or 'unauthorized'}"
                ) from None
        except InvalidStatus as refused:
            if refused.response.status_code in (401, 403):
                raise FollowError("the server refused the key") from None
        except (OSError, InvalidHandshake, TimeoutError):
            pass
        print(f"connection lost; reconnecting in {delay:g}s", file=err, flush=True)
        time.sleep(delay)
        delay = min(delay * 2, MAX_DELAY)
