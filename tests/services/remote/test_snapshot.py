"""What a remote console shows between two reads: each alert event applied
to the open alerts at once, and never undone by an older read."""

from __future__ import annotations

from dataclasses import replace

from desktop_app.models.alerts import Alert, AlertStatus
from desktop_app.models.levels import AlertLevel
from desktop_app.services.remote.api import Snapshot


def _alert(alert_id: int, status: AlertStatus = AlertStatus.ACTIVE) -> Alert:
    return Alert(alert_id, "billing", "cpu", AlertLevel.WARNING, status, "", 85.0, 80.0, 1.0, 1.0)


def test_an_event_opens_changes_and_closes_an_alert_in_the_snapshot() -> None:
    shown = Snapshot(open_alerts=(_alert(1),))
    raised = shown.with_alert(_alert(2))
    assert [a.id for a in raised.open_alerts] == [2, 1], "newest first, as the API lists them"
    escalated = raised.with_alert(replace(_alert(2), level=AlertLevel.CRITICAL))
    assert [a.level for a in escalated.open_alerts] == [AlertLevel.CRITICAL, AlertLevel.WARNING]
    resolved = escalated.with_alert(_alert(2, AlertStatus.RESOLVED))
    assert [a.id for a in resolved.open_alerts] == [1]
    history = resolved.with_alert(replace(_alert(3), historical=True))
    assert [a.id for a in history.open_alerts] == [1], "back-filled history is never open"
    assert shown.open_alerts == (_alert(1),), "a snapshot is never changed in place"
