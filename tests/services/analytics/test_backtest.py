"""Backtests give the designed number of alerts; the hour-of-week baseline
raises "unusual for this hour" only beyond its line."""

from __future__ import annotations

import time

import numpy as np
import pytest

from desktop_app.models.levels import AlertLevel
from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.services.analytics.backtest import backtest
from desktop_app.services.runtime import PluginMonitor

DAY = 86_400.0


def spiky_week(monitor: PluginMonitor, now: float) -> None:
    """A week at 50 % CPU with ten 3-sample spikes to 75 % and four to 90 %."""
    monitor.registry.register("app", "app", PluginSource.API)
    ts = np.arange(now - 7 * DAY + 60, now, 60.0)
    cpu = np.full(len(ts), 50.0)
    for spike in range(14):
        start = 500 + spike * 700
        cpu[start : start + 3] = 75.0 if spike < 10 else 90.0
    monitor.ingest(
        [Sample("app", float(t), cpu_percent=float(c)) for t, c in zip(ts, cpu, strict=True)]
    ).result(30)


def test_a_backtest_counts_the_designed_alerts(monitor: PluginMonitor) -> None:
    now = time.time()
    spiky_week(monitor, now)
    plugin_id = monitor.registry.id_for("app")
    assert plugin_id is not None
    result = backtest(
        monitor.analytics.history,
        plugin_id,
        "app",
        proposed=monitor.thresholds.proposed("app", {"cpu_threshold": 70}),
        current=monitor.thresholds.effective("app"),
        days=7,
        now=now,
    )
    assert result.samples == len(np.arange(now - 7 * DAY + 60, now, 60.0))
    assert result.current.by_level == {"warning": 4}
    assert result.proposed.by_level == {"warning": 14}
    stricter = monitor.thresholds.proposed("app", {"cpu_threshold": 70, "for_samples": 4})
    assert (
        backtest(
            monitor.analytics.history,
            plugin_id,
            "app",
            proposed=stricter,
            current=stricter,
            days=7,
            now=now,
        ).proposed.total
        == 0
    ), "a spike of 3 samples never holds for 4"
    assert monitor.thresholds.global_values.cpu_threshold == 80.0, "nothing was saved"


@pytest.mark.parametrize(("requests", "unusual"), [(300.0, True), (116.0, True), (114.0, False)])
def test_unusual_for_this_hour(monitor: PluginMonitor, requests: float, unusual: bool) -> None:
    now = time.time()
    hour_start = now // 3600 * 3600
    monitor.registry.register("app", "app", PluginSource.API)
    history = [  # every hour averages 100 exactly, so the deviation is the 5 % floor: 5
        Sample("app", float(t), request_count=95.0 if i % 2 else 105.0)
        for i, t in enumerate(np.arange(hour_start - 28 * DAY, hour_start, 600.0))
    ]
    monitor.ingest(history).result(30)
    monitor.thresholds.set("unusual_hour_sigma", 3.0, plugin="app")
    monitor.baselines.refresh(monitor.registry.ids(), now)
    monitor.ingest([Sample("app", now, request_count=requests)]).result(10)
    monitor.engine.flush().result(10)
    raised = [a for a in monitor.engine.open_alerts() if a.rule == "unusual_hour"]
    assert bool(raised) is unusual
    if unusual:
        assert raised[0].level == AlertLevel.WARNING
        assert "usual usage" in raised[0].message


def test_the_rule_is_off_by_default(monitor: PluginMonitor) -> None:
    monitor.registry.register("app", "app", PluginSource.API)
    monitor.baselines.refresh(monitor.registry.ids(), time.time())
    assert monitor.baselines.get("app") is None
