"""Alerts, their status and the events published when one changes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from desktop_app.models.levels import AlertLevel


class AlertStatus(StrEnum):
    ACTIVE = "active"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class AlertEventKind(StrEnum):
    """Every transition an alert can make; each one is stored and published."""

    RAISED = "raised"
    REOPENED = "reopened"  # raised again within the throttle window: the same alert, counted
    ESCALATED = "escalated"
    DEESCALATED = "de-escalated"
    RESOLVED = "resolved"
    ACKNOWLEDGED = "acknowledged"
    UNSILENCED = "unsilenced"  # its silence ended while it is still open: told now
    FLAPPING = "flapping"  # it changes too often: its notifications are held
    SETTLED = "settled"  # stable again for the flap window: told as it stands


@dataclass(frozen=True, slots=True)
class Alert:
    """Snapshot of one alert: one per (plugin, rule) while it is open."""

    id: int
    plugin_key: str
    rule: str
    level: AlertLevel
    status: AlertStatus
    message: str
    value: float | None
    threshold: float | None
    started_at: float
    updated_at: float
    occurrences: int = 1
    resolved_at: float | None = None
    resolved_by: str | None = None
    acknowledged_at: float | None = None
    acknowledged_by: str | None = None
    comment: str | None = None
    flapping: bool = False
    historical: bool = False  # recorded from a back-filled batch: never notified, never open

    @property
    def is_open(self) -> bool:
        return self.status is not AlertStatus.RESOLVED


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """A stored transition. `seq` orders all events; `notify` says whether
    delivery channels (toasts, tray, notifications log) should speak up, which
    throttling turns off for repeats."""

    seq: int
    kind: AlertEventKind
    alert: Alert
    at: float
    notify: bool
    actor: str | None = None
    silenced: bool = False  # a silence matched it: recorded, shown, not notified

    @property
    def is_recovery(self) -> bool:
        """The condition cleared by itself (an operator's resolve is not one):
        shown in green as "Resolved", never under the level it was raised at."""
        return self.kind is AlertEventKind.RESOLVED and self.actor is None

    @property
    def improves(self) -> bool:
        """A recovery or a step down: good news, shown as such."""
        return self.is_recovery or self.kind is AlertEventKind.DEESCALATED


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One stored transition of an alert, as its timeline shows it."""

    kind: AlertEventKind
    level: AlertLevel
    value: float | None
    at: float
    actor: str | None
    silenced: bool


def open_by_level(alerts: Iterable[Alert]) -> dict[AlertLevel, int]:
    """How many alerts are open at each level, worst first (none: empty)."""
    counts = Counter(alert.level for alert in alerts if alert.is_open)
    return {level: counts[level] for level in sorted(counts, reverse=True)}


@dataclass(frozen=True)
class AlertFilter:
    """What the alert views and the API narrow by; empty means everything."""

    open_only: bool = False
    plugin_key: str | None = None
    levels: frozenset[AlertLevel] = frozenset()
    statuses: frozenset[AlertStatus] = frozenset()
    since: float | None = None
    until: float | None = None
