"""How an alert's snapshot changes with each transition: pure functions of
the alert, the transition and the time, so the engine only decides which."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from desktop_app.errors import OperatorError
from desktop_app.models.alerts import Alert, AlertEventKind, AlertStatus
from desktop_app.models.levels import AlertLevel
from desktop_app.services.alerts.evaluator import Transition

AUTO_RESOLVER = "system (condition cleared)"
EVENT_RESOLVER = "system (an event: resolved at once)"


def raised(alert_id: int, t: Transition, level: AlertLevel, now: float) -> Alert:
    return Alert(
        id=alert_id,
        plugin_key=t.plugin_key,
        rule=t.rule.name,
        level=level,
        status=AlertStatus.ACTIVE,
        message=t.rule.describe(t.value, level, t.threshold),
        value=t.value,
        threshold=t.threshold,
        started_at=now,
        updated_at=now,
    )


def event(alert_id: int, t: Transition, level: AlertLevel, now: float) -> Alert:
    """An event: raised and resolved in one, so it is told but never open."""
    alert = raised(alert_id, t, level, now)
    return replace(alert, status=AlertStatus.RESOLVED, resolved_at=now, resolved_by=EVENT_RESOLVER)


def reopened(previous: Alert, t: Transition, level: AlertLevel, now: float) -> Alert:
    """Raised again within the throttle window: the same alert, once more."""
    return replace(
        previous,
        level=level,
        status=AlertStatus.ACTIVE,
        message=t.rule.describe(t.value, level, t.threshold),
        value=t.value,
        threshold=t.threshold,
        updated_at=now,
        occurrences=previous.occurrences + 1,
        resolved_at=None,
        resolved_by=None,
    )


def leveled(
    current: Alert, t: Transition, level: AlertLevel, now: float, *, escalated: bool
) -> Alert:
    """Up or down a level; going down keeps an acknowledgement."""
    message = (
        t.rule.describe(t.value, level, t.threshold)
        if escalated
        else t.rule.describe_lower(t.value, current.level, level, t.threshold)
    )
    return replace(
        current,
        level=level,
        status=AlertStatus.ACTIVE if escalated else current.status,
        message=message,
        value=t.value,
        threshold=t.threshold,
        updated_at=now,
    )


def recovered(current: Alert, t: Transition, now: float) -> Alert:
    """The condition cleared: the message says so with the clearing value."""
    return replace(
        current,
        status=AlertStatus.RESOLVED,
        message=t.rule.describe_recovery(t.value, t.threshold, now - current.started_at),
        value=t.value,
        threshold=t.threshold,
        updated_at=now,
        resolved_at=now,
        resolved_by=AUTO_RESOLVER,
    )


def resolved_by_hand(alert: Alert, actor: str, comment: str | None, now: float) -> Alert:
    return replace(
        alert,
        status=AlertStatus.RESOLVED,
        updated_at=now,
        resolved_at=now,
        resolved_by=actor,
        comment=comment if comment is not None else alert.comment,
    )


def acknowledged(alert: Alert, actor: str, comment: str | None, now: float) -> Alert:
    return replace(
        alert,
        status=AlertStatus.ACKNOWLEDGED,
        updated_at=now,
        acknowledged_at=now,
        acknowledged_by=actor,
        comment=comment,
    )


# The console offers Undo for 10 s after a resolve; the engine allows a
# minute, for a click that reaches it late.
UNDO_SECONDS = 60.0


class UndoRefusedError(OperatorError):
    """A resolve that can no longer be undone."""


def undone(alert: Alert, now: float, newer_open: bool) -> Alert:
    """An operator's resolve taken back: the alert open again as it was."""
    if newer_open:
        raise UndoRefusedError(
            f"alert {alert.id} cannot be reopened: a newer alert for its rule is open"
        )
    by_hand = alert.resolved_by not in (None, AUTO_RESOLVER, EVENT_RESOLVER)
    if alert.is_open or not by_hand or now - (alert.resolved_at or 0.0) > UNDO_SECONDS:
        raise UndoRefusedError(
            f"alert {alert.id} cannot be reopened: only a resolve made by hand in the last "
            f"{UNDO_SECONDS:g} s can be undone"
        )
    status = AlertStatus.ACKNOWLEDGED if alert.acknowledged_at else AlertStatus.ACTIVE
    return replace(alert, status=status, updated_at=now, resolved_at=None, resolved_by=None)


def by_hand(
    kind: AlertEventKind, actor: str, comment: str | None
) -> Callable[[Alert, float], Alert]:
    """What an operator's resolve or acknowledgement does to an open alert."""
    if kind is AlertEventKind.RESOLVED:
        return lambda alert, now: resolved_by_hand(alert, actor, comment, now)
    return lambda alert, now: acknowledged(alert, actor, comment, now)
