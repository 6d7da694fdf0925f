"""Samples on the WebSocket stream, for the clients that ask for them
(`subscribe_samples`), as the columnar push shapes them; others never see them."""

from __future__ import annotations

import time
from typing import Any

import httpx
from websockets.sync.client import ClientConnection

from tests.services.api.test_stream import received, send, stream

COLUMNS = "/api/advanced-monitoring/update-metrics/columns"
PUSH = "/api/advanced-monitoring/update-metrics"


def _messages(ws: ClientConnection, kind: str, quiet: float = 0.5) -> list[dict[str, Any]]:
    return received(ws, kind, quiet)


def test_a_subscriber_gets_the_samples_it_asked_for_and_others_none(
    admin: httpx.Client, stream_url: str
) -> None:
    for plugin in ("app", "db"):
        admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": plugin})
    with stream(stream_url) as watching, stream(stream_url) as plain, stream(stream_url) as every:
        assert send(watching, {"type": "subscribe_samples", "plugin_id": "app"}) == {
            "type": "samples_subscribed",
            "plugins": ["app"],
        }
        assert send(every, {"type": "subscribe_samples"})["plugins"] == "all"
        start = time.time() - 60
        block = {
            "plugin_id": "app",
            "timestamps": [start, start + 1],
            "metrics": {"cpu_usage": [12.5, None], "memory_usage": [40.0, 41.0]},
        }
        assert admin.post(COLUMNS, json=block).status_code == 200
        body = {
            "plugin_id": "db",
            "timestamp": start,
            "metrics": {"cpu_usage": 3.0, "custom": {"q": 7}},
        }
        assert admin.post(PUSH, json=body).status_code == 200

        (seen,) = _messages(watching, "samples")
        assert seen == {"type": "samples", **block}
        everything = _messages(every, "samples")
        assert [m["plugin_id"] for m in everything] == ["app", "db"]
        assert everything[1]["metrics"] == {"cpu_usage": [3.0], "custom": {"q": [7.0]}}
        assert _messages(plain, "samples") == [], "a client that never asked sees none"

        assert send(watching, {"type": "unsubscribe_samples"})["plugins"] is None
        assert (
            admin.post(COLUMNS, json={**block, "timestamps": [start + 2, start + 3]}).status_code
            == 200
        )
        assert _messages(watching, "samples") == []
