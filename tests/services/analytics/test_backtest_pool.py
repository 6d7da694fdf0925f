"""Backtests run in child processes: the same counts as in the monitor, a
dead child fails only its own backtest, and a stop ends a running one."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from concurrent.futures import BrokenExecutor, CancelledError

import pytest

from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.analytics.backtest_pool import BacktestPool
from desktop_app.services.runtime import PluginMonitor
from desktop_app.services.workers import deadline_in
from tests.helpers import wait_until
from tests.services.analytics.test_backtest import spiky_week


def week_of(
    monitor: PluginMonitor, now: float
) -> list[tuple[str, int, ThresholdValues, ThresholdValues]]:
    spiky_week(monitor, now)
    plugin_id = monitor.registry.id_for("app")
    assert plugin_id is not None
    proposed = monitor.thresholds.proposed("app", {"cpu_threshold": 70})
    return [("app", plugin_id, proposed, monitor.thresholds.effective("app"))]


def children() -> set[int]:
    return {child.pid for child in multiprocessing.active_children() if child.pid is not None}


def test_a_backtest_runs_in_a_child_process_and_counts_the_same(monitor: PluginMonitor) -> None:
    now = time.time()
    plugins = week_of(monitor, now)
    before = children()
    result = monitor.backtests.submit(plugins, days=7, now=now).result(60)
    assert (result.proposed.by_level, result.current.by_level) == ({"warning": 14}, {"warning": 4})
    started = children() - before
    assert len(started) == 1 and os.getpid() not in started, "one child on this 2-core machine"
    details = monitor.backtests.health().details
    assert (details["processes"], details["backtests_done"]) == (1, 1)


@pytest.mark.expect_log_warnings
def test_a_killed_child_fails_its_backtest_and_the_next_one_runs(monitor: PluginMonitor) -> None:
    now = time.time()
    plugins = week_of(monitor, now)
    before = children()
    doomed = monitor.backtests.submit(plugins, days=7, now=now)
    (child,) = children() - before
    os.kill(child, signal.SIGKILL)  # it is still starting: spawning takes a second
    with pytest.raises(BrokenExecutor):
        doomed.result(60)
    again = monitor.backtests.submit(plugins, days=7, now=now).result(60)
    assert again.proposed.total == 14
    idle = children() - before
    (other,) = idle
    os.kill(other, signal.SIGKILL)  # dies while idle: the next submit starts a new pool
    wait_until(lambda: other not in children(), what="the idle child gone")
    assert monitor.backtests.submit(plugins, days=7, now=now).result(60).proposed.total == 14


def test_a_stop_ends_a_running_backtest_at_once(monitor: PluginMonitor) -> None:
    now = time.time()
    plugins = week_of(monitor, now)
    pool = BacktestPool(monitor.paths.database)
    before = children()
    running = pool.submit(plugins, days=7, now=now)
    started = time.monotonic()
    assert pool.stop(deadline_in(5.0))
    assert time.monotonic() - started < 4.0, "not waiting for the backtest to end"
    assert not children() - before, "no child left behind"
    with pytest.raises((BrokenExecutor, CancelledError)):
        running.result(5)
    with pytest.raises(RuntimeError, match="stopping"):
        pool.submit(plugins, days=7, now=now)
