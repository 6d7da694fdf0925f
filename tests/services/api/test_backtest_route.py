"""The threshold backtest over HTTP: the designed counts, clear refusals."""

from __future__ import annotations

import time

import httpx

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
