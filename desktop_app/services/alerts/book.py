"""The open alerts, in memory, and what each transition does to them: which
alert it changes (one open per plugin and rule; one resolved within the
throttle window is reopened, not raised anew), its new snapshot, and whether
the change is news. The engine decides when, in which thread and how it is
stored; this decides what.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop_app.models.alerts import Alert, AlertEventKind
from desktop_app.services.alerts import changes
from desktop_app.services.alerts.evaluator import Transition
from desktop_app.services.alerts.throttle import NotificationThrottle
from desktop_app.services.storage.alerts import PendingEvent

Key = tuple[str, str]


class AlertBook:
    """Engine thread only."""

    def __init__(self, throttle: NotificationThrottle, first_id: int = 1) -> None:
        self.throttle = throttle
        self.open: dict[Key, Alert] = {}
        self._recently_resolved: dict[Key, Alert] = {}
        self._notified: set[int] = set()
        self.next_id = first_id  # the id the next new alert gets

    def restore(self, alerts: Iterable[Alert], max_alert_id: int) -> None:
        """Take up the alerts left open by the last run. They were told of when
        raised, so their recoveries are told too."""
        for alert in alerts:
            self.open[(alert.plugin_key, alert.rule)] = alert
            self._notified.add(alert.id)
        self.next_id = max_alert_id + 1

    def apply(
        self, t: Transition, plugin_id: int, now: float, *, quiet: bool = False
    ) -> PendingEvent | None:
        """The change `t` makes, or None if it changes nothing; `quiet` changes
        without notifying (history caught up after a crash, a change inside a
        columnar block that is not its last), and without counting as told for
        the throttle, so the news that follows is not held back."""
        key = (t.plugin_key, t.rule.name)
        if t.rule.event and t.new is not None:
            alert = changes.event(self.next_id, t, t.new, now)
            self.next_id += 1
            notify = not quiet and self.throttle.should_notify(key, t.new, now)
            return PendingEvent(AlertEventKind.RAISED, alert, plugin_id, True, notify, now)
        current = self.open.get(key)
        if t.new is None:
            if current is None:
                return None
            resolved = changes.recovered(current, t, now)
            del self.open[key]
            self._recently_resolved[key] = resolved
            notify = current.id in self._notified and current.occurrences == 1 and not quiet
            self._notified.discard(current.id)
            return PendingEvent(AlertEventKind.RESOLVED, resolved, plugin_id, False, notify, now)
        notify = not quiet and self.throttle.should_notify(key, t.new, now)
        if current is None:
            previous = self._recently_resolved.pop(key, None)
            is_new = previous is None or not self.throttle.within_window(previous.updated_at, now)
            if is_new:
                alert = changes.raised(self.next_id, t, t.new, now)
                self.next_id += 1
            else:
                assert previous is not None
                alert = changes.reopened(previous, t, t.new, now)
            kind = AlertEventKind.RAISED if is_new else AlertEventKind.REOPENED
        else:
            escalated = t.old is None or t.new > t.old
            alert = changes.leveled(current, t, t.new, now, escalated=escalated)
            is_new = False
            kind = AlertEventKind.ESCALATED if escalated else AlertEventKind.DEESCALATED
            notify = notify and escalated
        self.open[key] = alert
        if notify:
            self._notified.add(alert.id)
        return PendingEvent(kind, alert, plugin_id, is_new, notify, now)

    def latest(self, key: Key) -> Alert | None:
        """The open alert of `key`, else the one resolved within the throttle window."""
        return self.open.get(key) or self._recently_resolved.get(key)

    def update(self, alert: Alert) -> None:
        """A new snapshot of an alert already here (its flapping mark)."""
        key = (alert.plugin_key, alert.rule)
        for kept in (self.open, self._recently_resolved):
            if key in kept and kept[key].id == alert.id:
                kept[key] = alert

    def find(self, alert_id: int) -> tuple[Key, Alert] | None:
        return next(((k, a) for k, a in self.open.items() if a.id == alert_id), None)

    def changed_by_hand(self, key: Key, changed: Alert) -> None:
        """An operator's acknowledgement keeps the alert open; a resolve closes it."""
        if changed.is_open:
            self.open[key] = changed
        else:
            del self.open[key]
            self._notified.discard(changed.id)
