"""An alert change the database refuses is never shown or published until it
is stored: no `seq` 0 on the stream, no open alert the database does not
hold, a failing health that says why, and nothing lost once it works again."""

from __future__ import annotations

import sqlite3
import time

import pytest

from desktop_app.models.alerts import AlertEventKind
from desktop_app.services.alerts.engine import STORE_RETRY_SECONDS
from desktop_app.services.alerts.messages import AlertNotStoredError
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import EventRecorder, push

# A SQLite trigger refuses the alert events.
pytestmark = pytest.mark.sqlite_only

# A real fault of the real database: every new alert event is refused.
REFUSE = (
    "CREATE TRIGGER refuse_alert_events BEFORE INSERT ON alert_events "
    "BEGIN SELECT RAISE(ABORT, 'injected fault: alert events refused'); END"
)


def refuse_alert_events(monitor: PluginMonitor, refuse: bool) -> None:
    with sqlite3.connect(monitor.paths.database) as conn:
        conn.execute(REFUSE if refuse else "DROP TRIGGER refuse_alert_events")


def wait_for(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.02)


@pytest.mark.expect_log_warnings
def test_an_unstored_alert_is_neither_shown_nor_published_until_it_is_stored(
    monitor: PluginMonitor, events: EventRecorder
) -> None:
    push(monitor, cpu_percent=10)
    refuse_alert_events(monitor, True)
    push(monitor, cpu_percent=99)

    assert events.events == [], "nothing is published before it is stored"
    assert monitor.engine.open_alerts() == []
    assert monitor.alerts.open_alerts() == []
    health = monitor.health()
    engine = health.worker("alert-engine")
    assert engine is not None and not engine.ok
    assert "injected fault" in (engine.error or "")
    assert engine.details["unstored_changes"] == 1
    assert not health.ok and any("alert-engine" in line for line in health.problems)

    refuse_alert_events(monitor, False)
    wait_for(lambda: events.events, seconds=STORE_RETRY_SECONDS * 5)

    assert [(e.kind, e.alert.rule) for e in events.events] == [(AlertEventKind.RAISED, "cpu")]
    assert events.events[0].seq > 0
    stored = monitor.alerts.open_alerts()
    assert [a.id for a in stored] == [a.id for a in monitor.engine.open_alerts()]
    assert monitor.health().ok


@pytest.mark.expect_log_warnings
def test_changes_wait_in_order_and_an_operator_is_told_the_change_waits(
    monitor: PluginMonitor, events: EventRecorder
) -> None:
    push(monitor, cpu_percent=99)
    (alert,) = monitor.engine.open_alerts()
    refuse_alert_events(monitor, True)
    with pytest.raises(AlertNotStoredError, match="database refused the change"):
        monitor.engine.resolve(alert.id, actor="tester").result(10)
    push(monitor, memory_percent=99)
    assert monitor.engine.open_alerts() == [alert], "still what the database holds"

    refuse_alert_events(monitor, False)
    wait_for(lambda: len(events.events) == 3, seconds=STORE_RETRY_SECONDS * 5)

    kinds = [(e.kind, e.alert.rule) for e in events.events]
    assert kinds == [
        (AlertEventKind.RAISED, "cpu"),
        (AlertEventKind.RESOLVED, "cpu"),
        (AlertEventKind.RAISED, "memory"),
    ]
    seqs = [e.seq for e in events.events]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    assert [a.rule for a in monitor.alerts.open_alerts()] == ["memory"]
