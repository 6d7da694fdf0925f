"""The alert engine inside a real monitor: stored transitions, one active
alert per plugin and rule, throttling, manual resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.models.alerts import AlertFilter, AlertStatus
from desktop_app.models.levels import AlertLevel
from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.services.alerts.changes import (
    AUTO_RESOLVER,
    UNDO_SECONDS,
    UndoRefusedError,
    undone,
)
from desktop_app.services.alerts.messages import AlertNotFoundError
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import NO_API, EventRecorder, push


def test_warning_escalates_in_place_then_resolves_itself(
    monitor: PluginMonitor, events: EventRecorder
) -> None:
    for cpu in (50, 85, 90, 97, 99, 85, 10):
        push(monitor, cpu_percent=cpu)
    assert events.kinds() == [
        ("raised", "cpu", "warning"),
        ("escalated", "cpu", "critical"),
        ("de-escalated", "cpu", "warning"),
        ("resolved", "cpu", "warning"),
    ]
    ids = {e.alert.id for e in events.events}
    assert len(ids) == 1, "one alert changed in place, not one per level"
    (alert_id,) = ids
    stored = monitor.alerts.get(alert_id)
    assert stored is not None
    assert stored.status is AlertStatus.RESOLVED
    assert stored.resolved_by == AUTO_RESOLVER
    assert [entry.kind.value for entry in monitor.alerts.timeline(alert_id)] == [
        "raised",
        "escalated",
        "de-escalated",
        "resolved",
    ]
    assert monitor.engine.open_alerts() == []


def test_sustained_breach_keeps_one_active_alert_per_plugin_and_rule(
    monitor: PluginMonitor, events: EventRecorder
) -> None:
    for _ in range(10):
        push(monitor, cpu_percent=99, memory_percent=99)
    push(monitor, plugin="other", cpu_percent=99)
    open_keys = [(a.plugin_key, a.rule) for a in monitor.engine.open_alerts()]
    assert sorted(open_keys) == [("app", "cpu"), ("app", "memory"), ("other", "cpu")]
    assert len(monitor.alerts.open_alerts()) == 3
    assert len(events.events) == 3


def test_event_sequence_numbers_increase(monitor: PluginMonitor, events: EventRecorder) -> None:
    for cpu in (99, 10, 99, 10):
        push(monitor, cpu_percent=cpu)
    seqs = [e.seq for e in events.events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs) and seqs[0] > 0


def test_a_flapping_alert_is_reopened_without_notifying_again(
    monitor: PluginMonitor, events: EventRecorder
) -> None:
    for cpu in (99, 10, 99, 10, 99):
        push(monitor, cpu_percent=cpu)
    assert [(e.kind.value, e.notify) for e in events.events] == [
        ("raised", True),
        ("resolved", True),
        ("reopened", False),
        ("resolved", False),
        ("reopened", False),
    ]
    assert len({e.alert.id for e in events.events}) == 1
    (alert,) = monitor.engine.open_alerts()
    assert alert.occurrences == 3
    assert monitor.alerts.get(alert.id).occurrences == 3  # type: ignore[union-attr]
    lines = (monitor.paths.logs_dir / "notifications.log").read_text().splitlines()
    assert len(lines) == 2
    assert "CRITICAL raised plugin=app rule=cpu" in lines[0]


def test_throttle_window_zero_notifies_every_time(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "config").mkdir()
    (data_dir / "config" / "settings.toml").write_text("[alerts]\nthrottle_seconds = 0\n")
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as monitor:
        monitor.start(monitoring=False)
        recorder = EventRecorder()
        monitor.bus.subscribe(recorder)
        for cpu in (99, 10, 99):
            push(monitor, cpu_percent=cpu)
        assert [e.notify for e in recorder.events] == [True, True, True]
        assert len({e.alert.id for e in recorder.events}) == 2


def test_manual_resolve_records_who_and_when(monitor: PluginMonitor, events: EventRecorder) -> None:
    push(monitor, cpu_percent=99)
    (alert,) = monitor.engine.open_alerts()
    resolved = monitor.engine.resolve(alert.id, actor="alice").result(10)
    assert resolved.status is AlertStatus.RESOLVED
    stored = monitor.alerts.get(alert.id)
    assert stored is not None
    assert stored.resolved_by == "alice"
    assert stored.resolved_at is not None and stored.resolved_at >= alert.started_at
    last = monitor.alerts.timeline(alert.id)[-1]
    assert (last.kind.value, int(last.level), last.actor) == ("resolved", 40, "alice")
    assert monitor.engine.resolve(alert.id, actor="bob").result(10).resolved_by == "alice"
    # Still breaching after a manual resolve: a new alert, not a reopened one.
    push(monitor, cpu_percent=99)
    (again,) = monitor.engine.open_alerts()
    assert again.id != alert.id


def test_acknowledge_keeps_the_alert_open_with_a_comment(monitor: PluginMonitor) -> None:
    push(monitor, cpu_percent=85)
    (alert,) = monitor.engine.open_alerts()
    acked = monitor.engine.acknowledge(alert.id, actor="alice", comment="looking").result(10)
    assert acked.status is AlertStatus.ACKNOWLEDGED
    assert (acked.acknowledged_by, acked.comment) == ("alice", "looking")
    push(monitor, cpu_percent=99)
    (escalated,) = monitor.engine.open_alerts()
    assert escalated.status is AlertStatus.ACTIVE, "a worse level needs attention again"
    assert escalated.level is AlertLevel.CRITICAL


def test_unknown_alert_ids_are_refused(monitor: PluginMonitor) -> None:
    with pytest.raises(AlertNotFoundError):
        monitor.engine.resolve(12345, actor="alice").result(10)


def test_open_alerts_survive_a_restart_without_duplicates(data_dir: Path) -> None:
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as first:
        first.start(monitoring=False)
        push(first, cpu_percent=99)
        (alert,) = first.engine.open_alerts()
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as second:
        second.start(monitoring=False)
        recorder = EventRecorder()
        second.bus.subscribe(recorder)
        push(second, cpu_percent=99)
        assert recorder.events == []
        assert [a.id for a in second.engine.open_alerts()] == [alert.id]
        push(second, cpu_percent=10)
        assert recorder.kinds() == [("resolved", "cpu", "critical")]


def test_disabled_plugins_raise_nothing(monitor: PluginMonitor, events: EventRecorder) -> None:
    monitor.registry.register("quiet", "Quiet", PluginSource.API)
    monitor.registry.set_enabled("quiet", False)
    push(monitor, plugin="quiet", cpu_percent=99)
    assert events.events == []


def test_consecutive_failures_and_error_rate_through_the_engine(
    monitor: PluginMonitor, events: EventRecorder
) -> None:
    for _ in range(5):
        push(monitor, failed=True)
    push(monitor, error_count=20, request_count=100)
    assert events.kinds() == [
        ("raised", "consecutive_errors", "critical"),
        ("raised", "error_rate", "error"),
        ("resolved", "consecutive_errors", "critical"),
    ]


def test_an_alert_storm_is_stored_whole_with_the_published_sequence_numbers(
    monitor: PluginMonitor, events: EventRecorder
) -> None:
    monitor.registry.register("storm", "Storm", PluginSource.API)
    samples = [
        Sample("storm", 1_700_000_000.0 + i, error_count=i % 2, memory_percent=99.0 - i % 2 * 20)
        for i in range(2000)
    ]
    monitor.ingest(samples).result(30)
    monitor.engine.flush().result(30)
    stored = monitor.alerts.events_after(0)
    assert [e.seq for e in events.events] == [e.seq for e in stored]
    assert [(e.kind, e.alert.id, e.alert.level) for e in events.events] == [
        (e.kind, e.alert.id, e.alert.level) for e in stored
    ]
    assert len(stored) > 2000, "both rules flapped on every sample"
    for alert in monitor.engine.open_alerts():
        row = monitor.alerts.get(alert.id)
        assert row is not None and (row.status, row.level, row.occurrences) == (
            alert.status,
            alert.level,
            alert.occurrences,
        )


def test_only_a_fresh_resolve_by_hand_can_be_undone(monitor: PluginMonitor) -> None:
    push(monitor, cpu_percent=99)
    push(monitor, cpu_percent=10)
    (cleared,) = [a for a in monitor.alerts.page(AlertFilter(), limit=5) if a.rule == "cpu"]
    with pytest.raises(UndoRefusedError, match="only a resolve made by hand"):
        monitor.engine.reopen(cleared.id, actor="alice").result(10)
    push(monitor, cpu_percent=99)
    (alert,) = monitor.engine.open_alerts()
    resolved = monitor.engine.resolve(alert.id, actor="alice").result(10)
    with pytest.raises(UndoRefusedError, match="only a resolve made by hand in the last 60 s"):
        undone(resolved, (resolved.resolved_at or 0) + UNDO_SECONDS + 1, newer_open=False)
    push(monitor, cpu_percent=99)  # the condition still holds: a new alert
    with pytest.raises(UndoRefusedError, match="a newer alert for its rule is open"):
        monitor.engine.reopen(alert.id, actor="alice").result(10)
