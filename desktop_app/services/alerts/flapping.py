"""Flapping: an alert that changes state more than `alerts.flap_changes`
times within `alerts.flap_window_seconds` is marked flapping, and its
notifications are held until it has been stable for the window; then one
notification says how it stands. Nagios and Zabbix damp flapping the same
way, so a condition hovering on its line is one story, not a stream.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

Key = tuple[str, str]


class FlapDetector:
    """State changes per (plugin, rule) within the window (engine thread only)."""

    def __init__(self, limits: Callable[[], tuple[int, float]]) -> None:
        self._limits = limits  # (changes allowed, window seconds), read on use
        self._changes: dict[Key, deque[float]] = {}
        self._flapping: set[Key] = set()

    def changed(self, key: Key, now: float) -> bool:
        """Note a change; True if it makes `key` start flapping."""
        allowed, window = self._limits()
        changes = self._changes.setdefault(key, deque())
        changes.append(now)
        while changes and changes[0] < now - window:
            changes.popleft()
        if key in self._flapping or len(changes) <= allowed:
            return False
        self._flapping.add(key)
        return True

    def is_flapping(self, key: Key) -> bool:
        return key in self._flapping

    def settled(self, now: float) -> list[Key]:
        """Keys flapping until now with no change for a whole window: they stop."""
        _allowed, window = self._limits()
        calm = [key for key in self._flapping if self._changes[key][-1] < now - window]
        for key in calm:
            self._flapping.discard(key)
            del self._changes[key]
        return calm

    def forget_quiet(self, now: float) -> None:
        """Drop the history of keys not flapping whose changes are all old."""
        _allowed, window = self._limits()
        for key in [k for k, c in self._changes.items() if k not in self._flapping]:
            if self._changes[key][-1] < now - window:
                del self._changes[key]
