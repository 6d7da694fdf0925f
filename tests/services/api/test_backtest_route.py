"""The threshold backtest over HTTP: the designed counts, clear refusals."""

from __future__ import annotations

import time
from typing import Any

import httpx

from desktop_app.services.api.heavy import ExpensiveReads
from desktop_app.services.runtime import PluginMonitor
from tests.services.analytics.test_backtest import spiky_week


def test_the_backtest_route(api_monitor: PluginMonitor, admin: httpx.Client) -> None:
    spiky_week(api_monitor, time.time())
    url = "/api/advanced-monitoring/thresholds/backtest"
    answer = admin.post(url, json={"plugin_id": "app", "thresholds": {"cpu_threshold": 70}})
    assert answer.status_code == 200, answer.text
    assert answer.json()["proposed"] == {"total": 14, "by_level": {"warning": 14}}
    assert answer.json()["current"]["total"] == 4
    wrong = admin.post(url, json={"plugin_id": "app", "thresholds": {"cpu_threshold": 170}})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "thresholds"
    assert "cpu_threshold" in wrong.json()["errors"][0]["problem"]
    ghost = admin.post(url, json={"plugin_id": "ghost", "thresholds": {}})
    assert ghost.status_code == 404


def expensive_reads(monitor: PluginMonitor) -> ExpensiveReads:
    """The server's own limiter (what a running backtest or export holds)."""
    assert monitor.api is not None
    app: Any = monitor.api.endpoints[0].app
    while not hasattr(app, "state"):
        app = app.app
    heavy: ExpensiveReads = app.state.ctx.heavy
    return heavy


def test_a_third_expensive_read_at_once_gets_429(
    api_monitor: PluginMonitor, admin: httpx.Client
) -> None:
    spiky_week(api_monitor, time.time())
    heavy = expensive_reads(api_monitor)
    url = "/api/advanced-monitoring/thresholds/backtest"
    body = {"plugin_id": "app", "thresholds": {"cpu_threshold": 70}, "days": 30}
    export = "/api/advanced-monitoring/export/app"
    heavy.take()
    heavy.take()  # two running, as two 30-day backtests would be
    try:
        third = admin.post(url, json=body)
        assert third.status_code == 429
        assert third.headers["retry-after"] == "5"
        assert third.json()["detail"].startswith("2 expensive reads (backtests, exports over 24 h")
        assert admin.get(export, params={"hours": 48}).status_code == 429
        assert admin.get(export, params={"hours": 24}).status_code == 200, "not an expensive one"
    finally:
        heavy.give_back()
        heavy.give_back()
    assert admin.post(url, json=body).status_code == 200
    long_export = admin.get(export, params={"hours": 48, "format": "csv"})
    assert long_export.status_code == 200 and long_export.text.startswith("plugin_id,")
    assert heavy.running == 0, "every slot given back, the streamed export's included"
