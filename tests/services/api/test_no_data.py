"""No data: a pushed plugin that goes silent gets a no-data warning within
its stale_after_seconds (+5 s), and its next push resolves it (real server,
real WebSocket client)."""

from __future__ import annotations

import json
import re
import time

import httpx
from websockets.sync.client import connect

from desktop_app.services.runtime import PluginMonitor

PUSH = "/api/advanced-monitoring/update-metrics"


def test_a_silent_plugin_gets_no_data_which_its_next_push_resolves(
    admin: httpx.Client, api_monitor: PluginMonitor, stream_url: str
) -> None:
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "quiet"})
    changed = admin.put(
        "/api/advanced-monitoring/thresholds",
        json={"plugins": {"quiet": {"stale_after_seconds": 2}}},
    )
    assert changed.status_code == 200, changed.text
    # Only quiet's alerts: the threshold change is also a security event.
    with connect(stream_url + "?plugin_id=quiet", open_timeout=5) as ws:
        json.loads(ws.recv(timeout=5))
        assert admin.post(PUSH, json={"plugin_id": "quiet", "metrics": {"cpu_usage": 5}}).is_success
        went_silent = time.monotonic()
        raised = json.loads(ws.recv(timeout=2 + 5))
        waited = time.monotonic() - went_silent
        assert admin.post(PUSH, json={"plugin_id": "quiet", "metrics": {"cpu_usage": 5}}).is_success
        resolved = json.loads(ws.recv(timeout=5))
    assert (raised["event"], raised["alert"]["rule"], raised["alert"]["level"]) == (
        "raised",
        "no_data",
        "warning",
    )
    assert 2 <= waited <= 7
    assert re.fullmatch(r"No data for [23] s \(expected within 2 s\)", raised["alert"]["message"])
    assert (resolved["event"], resolved["recovery"]) == ("resolved", True)
    assert resolved["alert"]["message"].startswith("Data again after")
    assert api_monitor.engine.open_alerts() == []
