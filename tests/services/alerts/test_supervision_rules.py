"""The supervision rules: what a plugin's stored state figures raise, and
how their alerts read in English and Korean."""

from __future__ import annotations

from desktop_app.models.alerts import AlertFilter
from desktop_app.services.alerts.wording import alert_message
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import push

MIB = 1024 * 1024


def test_an_unexpected_exit_is_told_as_one_and_so_is_its_end(monitor: PluginMonitor) -> None:
    push(monitor, "web", extras={"unexpected_exits": 2.0, "crash_loop": 0.0})
    (raised,) = monitor.alerts.page(AlertFilter(open_only=True), limit=5)
    assert (raised.rule, raised.level.label) == ("plugin_exit", "error")
    assert raised.message == (
        "The plugin's process exited unexpectedly (unexpected exits since it last ran well: 2)"
    )
    assert alert_message(raised, "ko") == (
        "플러그인 프로세스가 예기치 않게 종료됨 (마지막 정상 실행 이후 2회)"
    )
    push(monitor, "web", extras={"unexpected_exits": 0.0, "crash_loop": 0.0})
    (ended,) = monitor.alerts.page(AlertFilter(), limit=5)
    assert ended.message.startswith("The plugin's process has run well again, after ")
    assert alert_message(ended, "ko").startswith("플러그인 프로세스가 다시 정상 실행 중 (")


def test_a_crash_loop_is_critical(monitor: PluginMonitor) -> None:
    push(monitor, "web", extras={"unexpected_exits": 6.0, "crash_loop": 1.0})
    alerts = monitor.alerts.page(AlertFilter(open_only=True), limit=5)
    assert sorted((a.rule, a.level.label) for a in alerts) == [
        ("crash_loop", "critical"),
        ("plugin_exit", "error"),
    ]


def test_a_limit_is_read_as_a_share_of_it(monitor: PluginMonitor) -> None:
    push(monitor, "web", memory_rss=600.0 * MIB, extras={"memory_limit": 512.0 * MIB})
    push(monitor, "web", cpu_percent=50.0, extras={"cpu_limit": 90.0})
    (raised,) = monitor.alerts.page(AlertFilter(open_only=True), limit=5)
    assert (raised.rule, raised.level.label) == ("memory_limit", "error")
    assert raised.message.startswith("Memory use of its limit 117.188 % is at or above")
    push(monitor, "web", memory_rss=100.0 * MIB)  # no limit in the sample: nothing changes
    assert monitor.alerts.page(AlertFilter(open_only=True), limit=5) == [raised]
