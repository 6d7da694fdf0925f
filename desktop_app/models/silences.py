"""Silences and maintenance windows, as in Alertmanager: while one is on,
the alerts it matches are recorded and shown but not notified."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.models.alerts import Alert
from desktop_app.models.levels import AlertLevel


@dataclass(frozen=True, slots=True)
class Silence:
    """Matchers left None match everything; `level` matches that level and
    below, so an alert that escalates past it is notified."""

    id: int
    plugin_key: str | None
    rule: str | None
    level: AlertLevel | None
    starts_at: float
    ends_at: float
    comment: str
    created_by: str
    created_at: float
    removed_at: float | None = None

    def is_on(self, now: float) -> bool:
        return self.removed_at is None and self.starts_at <= now < self.ends_at

    def matches(self, alert: Alert, now: float) -> bool:
        return (
            self.is_on(now)
            and (self.plugin_key is None or self.plugin_key == alert.plugin_key)
            and (self.rule is None or self.rule == alert.rule)
            and (self.level is None or alert.level <= self.level)
        )
