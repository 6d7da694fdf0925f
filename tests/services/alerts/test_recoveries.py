"""Recoveries tell the truth: the value that cleared the alert, the line it
fell below and how long it lasted, shown as a recovery everywhere, never
under the raise text or level; alerts open before a restart still get theirs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop_app.models.levels import AlertLevel
from desktop_app.services.alerts.notifications_log import format_notification
from desktop_app.services.alerts.rules import RULES_BY_NAME, span
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import NO_API, EventRecorder, push

CPU = RULES_BY_NAME["cpu"]


def test_a_recovery_says_back_to_with_the_value_that_cleared_it(
    monitor: PluginMonitor, events: EventRecorder
) -> None:
    for cpu in (99, 85, 59):
        push(monitor, cpu_percent=cpu)
    raised, lowered, resolved = events.events
    assert raised.alert.message == "CPU usage 99 % is at or above the critical line of 95 %"
    assert lowered.alert.message == (
        "CPU usage down to 85 % from critical, still at or above the warning line of 80 %"
    )
    assert re.fullmatch(
        r"CPU usage back to 59 % \(below 80 %\) after \d+ s", resolved.alert.message
    )
    assert (resolved.alert.value, resolved.alert.threshold) == (59, 80)
    assert resolved.is_recovery and resolved.improves and lowered.improves
    assert not raised.improves
    stored = monitor.alerts.get(resolved.alert.id)
    assert stored is not None and stored.message == resolved.alert.message


def test_the_notifications_log_titles_a_recovery_as_resolved(
    monitor: PluginMonitor, events: EventRecorder
) -> None:
    push(monitor, cpu_percent=99)
    push(monitor, cpu_percent=10)
    monitor.stop()
    lines = (monitor.paths.logs_dir / "notifications.log").read_text().splitlines()
    assert [line.split()[1] for line in lines] == ["CRITICAL", "RESOLVED"]
    assert re.search(
        r" RESOLVED plugin=app rule=cpu alert=\d+ seq=\d+: CPU usage back to 10 % "
        r"\(below 80 %\) after \d+ s \(was critical\)$",
        lines[1],
    )
    assert format_notification(events.events[1]) == lines[1]


def test_a_resolve_by_hand_is_not_a_recovery(monitor: PluginMonitor) -> None:
    push(monitor, cpu_percent=99)
    (alert,) = monitor.engine.open_alerts()
    recorder = EventRecorder()
    monitor.bus.subscribe(recorder)
    monitor.engine.resolve(alert.id, actor="ops").result(10)
    (event,) = recorder.events
    assert not event.is_recovery and not event.improves


def test_an_alert_open_before_a_restart_gets_its_recovery_told(data_dir: Path) -> None:
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as first:
        first.start(monitoring=False)
        push(first, cpu_percent=99)
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as second:
        second.start(monitoring=False)
        # The start's catch-up first: a sample it found (these are dated 2023)
        # would be history older than the throttle window, changed but not told.
        second.engine.flush().result(10)
        recorder = EventRecorder()
        second.bus.subscribe(recorder)
        push(second, cpu_percent=10)
    (event,) = recorder.events
    assert event.is_recovery and event.notify
    assert event.alert.message.startswith("CPU usage back to 10 % (below 80 %) after")


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0.4, "0 s"),
        (59, "59 s"),
        (60, "1 min"),
        (90, "1 min 30 s"),
        (12 * 60 + 5, "12 min"),
        (3600, "1 h"),
        (3 * 3600 + 5 * 60, "3 h 5 min"),
        (2 * 86400, "2 d"),
        (2 * 86400 + 4 * 3600 + 60, "2 d 4 h"),
        (-3, "0 s"),
    ],
)
def test_durations_read_as_an_operator_says_them(seconds: float, said: str) -> None:
    assert span(seconds) == said


def test_texts_without_a_line_leave_it_out() -> None:
    assert CPU.describe_recovery(50, None, 90) == "CPU usage back to 50 % after 1 min 30 s"
    assert CPU.describe(97, AlertLevel.CRITICAL, None) == (
        "CPU usage 97 % is at or above the critical line"
    )
    failures = RULES_BY_NAME["consecutive_errors"]
    assert (
        failures.describe_recovery(0, 5, 30)
        == "Failed samples in a row back to 0 (below 5) after 30 s"
    )
