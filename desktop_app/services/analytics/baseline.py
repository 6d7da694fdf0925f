"""The hour-of-week baseline and the "unusual for this hour" alert rule.

For each plugin whose `unusual_hour_sigma` threshold is on, the usual value
of its usage metric (requests per sample where it reports them, else CPU)
is learnt per hour of the week from the last four weeks of hourly rollups:
the mean and standard deviation of that hour's averages. A sample further
than `unusual_hour_sigma` deviations from its hour's mean raises a warning.
An hour needs three weeks of history before it can be unusual, and its
deviation is never taken below 5 % of its mean, so a perfectly flat history
does not turn every small wobble into an alert.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo

from desktop_app.models.levels import AlertLevel
from desktop_app.models.rollups import ONE_HOUR
from desktop_app.models.samples import Sample
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.rules import Rule
from desktop_app.services.analytics.buckets import Floats, Ints
from desktop_app.services.analytics.patterns import PatternIndex
from desktop_app.services.analytics.report import NAMES, AnalyticsService

LEARN_DAYS = 28
MIN_WEEKS = 3
SPREAD_FLOOR = 0.05
REFRESH_SECONDS = 900.0
# Usage metric by preference: (name in analyses, attribute of a sample).
USAGE_METRICS = (("request_count", "request_count"), ("cpu_usage", "cpu_percent"))


@dataclass(frozen=True)
class Baseline:
    attribute: str  # the Sample attribute compared
    mean: Floats  # per hour of week, Monday 00:00 first
    spread: Floats
    weeks: Ints
    learnt_at: float


def hour_of_week(ts: float, tz: tzinfo) -> int:
    local = datetime.fromtimestamp(ts, tz)
    return local.weekday() * 24 + local.hour


class HourOfWeekBaselines:
    def __init__(
        self,
        analytics: AnalyticsService,
        thresholds_for: Callable[[str], ThresholdValues],
        timezone: Callable[[], tzinfo],
    ) -> None:
        self._analytics = analytics
        self._thresholds_for = thresholds_for
        self._timezone = timezone
        self._baselines: dict[str, Baseline] = {}

    def get(self, plugin_key: str) -> Baseline | None:
        return self._baselines.get(plugin_key)

    def learn(self, plugin_key: str, plugin_id: int, now: float) -> Baseline | None:
        """Learn one plugin's baseline from its complete hours (the current,
        partial hour would skew its slot)."""
        hour_start = now // 3600 * 3600
        series = self._analytics.series(
            plugin_id, hour_start - LEARN_DAYS * 86_400, hour_start - 1e-6, ONE_HOUR
        )
        present = series.present()
        for name, attribute in USAGE_METRICS:
            column = NAMES.index(name)
            if column in present:
                index = PatternIndex(series.starts, self._timezone())
                mean, spread, weeks = index.baseline(series.average[:, column])
                return Baseline(attribute, mean, spread, weeks, now)
        return None

    def refresh(self, plugin_ids: Mapping[str, int], now: float) -> None:
        """Relearn the baselines of plugins with the rule on, every 15 minutes;
        forget those with it off."""
        wanted = {
            key: plugin_id
            for key, plugin_id in plugin_ids.items()
            if self._thresholds_for(key).unusual_hour_sigma > 0
        }
        fresh: dict[str, Baseline] = {}
        for key, plugin_id in wanted.items():
            known = self._baselines.get(key)
            if known is not None and now - known.learnt_at < REFRESH_SECONDS:
                fresh[key] = known
                continue
            learnt = self.learn(key, plugin_id, now)
            if learnt is not None:
                fresh[key] = learnt
        self._baselines = fresh  # swapped whole: readers see the old or the new set

    def deviation(self, sample: Sample) -> float | None:
        """How many usual deviations the sample is from its hour's mean."""
        baseline = self._baselines.get(sample.plugin_key)
        if baseline is None:
            return None
        value: float | None = getattr(sample, baseline.attribute)
        if value is None:
            return None
        slot = hour_of_week(sample.ts, self._timezone())
        if baseline.weeks[slot] < MIN_WEEKS:
            return None
        mean = float(baseline.mean[slot])
        spread = max(float(baseline.spread[slot]), SPREAD_FLOOR * abs(mean), 1e-9)
        return abs(value - mean) / spread


def unusual_hour_rule(baselines: HourOfWeekBaselines) -> Rule:
    return Rule(
        "unusual_hour",
        "Deviation from this hour's usual usage",
        "standard deviations",
        False,
        lambda sample, _: baselines.deviation(sample),
        lambda t: ((AlertLevel.WARNING, t.unusual_hour_sigma),) if t.unusual_hour_sigma > 0 else (),
    )
