"""No data: a plugin that stops reporting is not healthy, it is silent, and
the operator is told (R6). Each plugin is expected at an interval: the
collection interval for the plugins this monitor collects itself, and for
pushed plugins the median of their last arrival gaps. A silence longer than
the plugin's `stale_after_seconds` threshold (0: three intervals, at least
`alerts.no_data_min_seconds`) raises a `no_data` warning, which the next
sample resolves. Silence is measured on this monitor's clock, by arrival,
so a sender's clock cannot hide it.
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from desktop_app.models.levels import AlertLevel
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.rules import Rule, span

CHECK_SECONDS = 1.0
GAPS_KEPT = 8


@dataclass(frozen=True)
class SilenceRule(Rule):
    """The no-data rule: raised by the clock, never by a sample's value; its
    value is the silence in seconds and its line the silence allowed."""

    def describe(self, value: float, level: AlertLevel, threshold: float | None) -> str:
        return f"No data for {span(value)} (expected within {span(threshold or 0)})"

    def describe_recovery(self, value: float, line: float | None, seconds: float) -> str:
        return f"Data again after {span(value)} of silence"


NO_DATA = SilenceRule("no_data", "Data", "s", False, lambda _s, _f: None, lambda _t: ())


@dataclass(frozen=True)
class Overdue:
    plugin_key: str
    silent: float
    limit: float


class SilenceWatch:
    """When each plugin was last heard from and how often it reports (engine
    thread only)."""

    def __init__(
        self,
        thresholds_for: Callable[[str], ThresholdValues],
        min_seconds: Callable[[], float],
        collected_every: Callable[[str], float | None],
    ) -> None:
        self._thresholds_for = thresholds_for
        self._min_seconds = min_seconds
        # The collection interval for a plugin this monitor collects while
        # collection is on; None for a pushed plugin (or collection off).
        self._collected_every = collected_every
        self._heard: dict[str, float] = {}
        self._gaps: dict[str, deque[float]] = {}

    def heard(self, plugin_key: str, at: float) -> float | None:
        """Note a sample's arrival; the silence it ends, if one was heard before."""
        before = self._heard.get(plugin_key)
        self._heard[plugin_key] = at
        if before is not None and at > before:
            self._gaps.setdefault(plugin_key, deque(maxlen=GAPS_KEPT)).append(at - before)
        return None if before is None else at - before

    def last_heard(self, plugin_key: str, at: float) -> None:
        """What is known at start: the newest stored sample, however old."""
        self._heard.setdefault(plugin_key, at)

    def limit(self, plugin_key: str) -> float | None:
        """The longest silence allowed now; None while nothing is expected."""
        stale_after = self._thresholds_for(plugin_key).stale_after_seconds
        if stale_after > 0:
            return stale_after
        collected = self._collected_every(plugin_key)
        gaps = self._gaps.get(plugin_key)
        interval = collected if collected is not None else (statistics.median(gaps) if gaps else 0)
        return max(3 * interval, self._min_seconds())

    def overdue(self, now: float, watched: Callable[[str], bool]) -> list[Overdue]:
        late = []
        for key, at in self._heard.items():
            if not watched(key):
                continue
            limit = self.limit(key)
            if limit is not None and now - at > limit:
                late.append(Overdue(key, now - at, limit))
        return late
