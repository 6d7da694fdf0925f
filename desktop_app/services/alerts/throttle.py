"""Notification throttling: no storm of repeats (R18).

A notification for a (plugin, rule) is held back when one at the same or a
higher level went out within the window; a worse level always speaks.
"""

from __future__ import annotations

from collections.abc import Hashable

from desktop_app.models.levels import AlertLevel


class NotificationThrottle:
    def __init__(self, window_seconds: float) -> None:
        self.window_seconds = window_seconds
        self._last: dict[Hashable, tuple[float, AlertLevel]] = {}

    def should_notify(self, key: Hashable, level: AlertLevel, now: float) -> bool:
        previous = self._last.get(key)
        if previous is not None:
            at, last_level = previous
            if now - at < self.window_seconds and level <= last_level:
                return False
        self._last[key] = (now, level)
        return True

    def within_window(self, since: float, now: float) -> bool:
        return now - since < self.window_seconds
