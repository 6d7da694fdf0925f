"""The analyses the API and the console show, as JSON-ready dictionaries:
detailed metrics (R11), trends (R12), usage patterns (R13) and the combined
analytics report with forecasts (R14).

Windows are read as buckets (see `history.py`): 5-minute buckets up to two
days, 1-hour buckets beyond, so a 90-day window costs about what a 24-hour
one does. Metric names follow the API (`cpu_usage`, `memory_usage`, …); two
are derived: `error_rate` (errors as % of requests) and `throughput`
(requests per second).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo

import numpy as np

from desktop_app.models.metrics import BY_WIRE, CATALOGUE
from desktop_app.models.rollups import FIVE_MINUTES, ONE_HOUR, ROLLUP_METRICS, RollupLevel
from desktop_app.models.samples import public_name
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.analytics.buckets import Buckets, Floats, Ints
from desktop_app.services.analytics.custom import custom_summary
from desktop_app.services.analytics.forecast import forecast
from desktop_app.services.analytics.history import History
from desktop_app.services.analytics.patterns import usage_patterns
from desktop_app.services.analytics.trends import Trend, fit_trend

NAMES: tuple[str, ...] = (*(public_name(m) for m in ROLLUP_METRICS), "error_rate", "throughput")
UNITS: dict[str, str] = {metric.wire: metric.unit for metric in CATALOGUE}
_ERRORS = ROLLUP_METRICS.index("error_count")
_REQUESTS = ROLLUP_METRICS.index("request_count")

# Metrics forecast against a threshold: (metric, threshold attribute).
FORECASTS: tuple[tuple[str, str], ...] = (
    ("memory_usage", "memory_threshold"),
    ("cpu_usage", "cpu_threshold"),
    ("response_time", "response_time_threshold"),
    ("error_rate", "error_rate_threshold"),
)

DAY_HOURS = 48  # windows up to this many hours use 5-minute buckets


def level_for(hours: float) -> RollupLevel:
    return FIVE_MINUTES if hours <= DAY_HOURS else ONE_HOUR


def clean(values: Floats) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values.tolist()]


def number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


@dataclass(frozen=True)
class Series:
    """Per bucket and metric (NAMES): totals and counts whose ratio is the
    average, the average itself, minimum, maximum and 95th percentile (for
    the derived metrics, the bucket's own value)."""

    starts: Ints
    total: Floats
    count: Floats
    average: Floats
    minimum: Floats
    maximum: Floats
    p95: Floats

    @classmethod
    def of(cls, buckets: Buckets, step: float) -> Series:
        errors = np.nan_to_num(buckets.total[:, _ERRORS])
        requests = np.nan_to_num(buckets.total[:, _REQUESTS])
        has_requests = buckets.count[:, _REQUESTS] > 0
        rated = has_requests & (buckets.count[:, _ERRORS] > 0) & (requests > 0)
        seconds = np.full(len(buckets), step)
        with np.errstate(invalid="ignore", divide="ignore"):
            error_rate = np.where(rated, 100.0 * errors / requests, np.nan)
            throughput = np.where(has_requests, requests / seconds, np.nan)
        total = np.column_stack(
            [
                np.nan_to_num(buckets.total),
                np.where(rated, 100.0 * errors, 0.0),
                np.where(has_requests, requests, 0.0),
            ]
        )
        count = np.column_stack(
            [buckets.count, np.where(rated, requests, 0.0), np.where(has_requests, seconds, 0.0)]
        )
        average = np.column_stack([buckets.average, error_rate, throughput])
        return cls(
            starts=buckets.starts,
            total=total,
            count=count.astype(np.float64),
            average=average,
            minimum=np.column_stack([buckets.minimum, error_rate, throughput]),
            maximum=np.column_stack([buckets.maximum, error_rate, throughput]),
            p95=np.column_stack([buckets.p95, error_rate, throughput]),
        )

    def window_stats(self, column: int) -> tuple[float | None, float | None, float | None]:
        """(average, minimum, maximum) of one metric over the whole window."""
        samples = float(self.count[:, column].sum())
        if not samples:
            return None, None, None
        return (
            float(self.total[:, column].sum() / samples),
            number(np.fmin.reduce(self.minimum[:, column])),
            number(np.fmax.reduce(self.maximum[:, column])),
        )

    def present(self) -> list[int]:
        return [i for i in range(len(NAMES)) if self.count[:, i].sum() > 0]


class AnalyticsService:
    def __init__(
        self,
        history: History,
        thresholds_for: Callable[[str], ThresholdValues],
        timezone: Callable[[], tzinfo],
    ) -> None:
        self.history = history
        self._thresholds_for = thresholds_for
        self._timezone = timezone

    def series(self, plugin_id: int, since: float, until: float, level: RollupLevel) -> Series:
        return Series.of(self.history.buckets(plugin_id, since, until, level), level.step)

    def averages(
        self, plugin_id: int, metric: str, *, hours: float, now: float
    ) -> tuple[list[float], list[float | None]]:
        """One metric's bucket averages over the window, for comparing plugins
        on one chart; empty when the metric is not one the buckets hold."""
        if metric not in NAMES:
            return [], []
        series = self.series(plugin_id, now - hours * 3600, now, level_for(hours))
        return (series.starts / 1_000_000).tolist(), clean(series.average[:, NAMES.index(metric)])

    # -- trends ---------------------------------------------------------------------

    @staticmethod
    def fit(series: Series) -> dict[str, Trend]:
        times = series.starts / 1_000_000
        trends: dict[str, Trend] = {}
        for column in series.present():
            trend = fit_trend(times, series.average[:, column], series.count[:, column])
            if trend is not None:
                trends[NAMES[column]] = trend
        return trends

    def trends(self, plugin_id: int, *, hours: int, now: float) -> dict[str, object]:
        series = self.series(plugin_id, now - hours * 3600, now, level_for(hours))
        return {name: _trend_out(trend, series) for name, trend in self.fit(series).items()}

    # -- usage patterns -------------------------------------------------------------

    def patterns(self, series: Series, tz: tzinfo) -> dict[str, object]:
        present = series.present()
        requests = NAMES.index("request_count")
        primary = "request_count" if requests in present else "cpu_usage"
        return usage_patterns(
            starts_us=series.starts,
            total=series.total,
            count=series.count,
            metrics=NAMES,
            tz=tz,
            primary=primary,
        )

    def usage_patterns(self, plugin_id: int, *, days: int, now: float) -> dict[str, object]:
        series = self.series(plugin_id, now - days * 86_400, now, ONE_HOUR)
        return {"days": days, **self.patterns(series, self._timezone())}

    # -- summary and analytics ----------------------------------------------------------

    def summary(self, plugin_id: int, series: Series, until: float) -> dict[str, object]:
        latest = self.history.latest(plugin_id, until)
        current = latest.values[0] if len(latest) else np.full(len(ROLLUP_METRICS), np.nan)
        last_average = series.average[-1] if len(series.starts) else np.full(len(NAMES), np.nan)
        result: dict[str, object] = {}
        for column in series.present():
            name = NAMES[column]
            average, minimum, maximum = series.window_stats(column)
            result[name] = {
                "average": average,
                "minimum": minimum,
                "maximum": maximum,
                "current": number(
                    current[column] if column < len(ROLLUP_METRICS) else last_average[column]
                ),
                "unit": UNITS[name],
            }
        return result

    def forecasts(
        self, plugin_key: str, trends: dict[str, Trend], now: float
    ) -> list[dict[str, object]]:
        thresholds = self._thresholds_for(plugin_key)
        result = []
        for metric, attribute in FORECASTS:
            trend = trends.get(metric)
            if trend is None:
                continue
            found = forecast(
                metric,
                title=BY_WIRE[metric].label,
                unit=UNITS[metric],
                trend=trend,
                threshold=float(getattr(thresholds, attribute)),
                now=now,
            )
            if found is not None:
                result.append(found.as_dict())
        return result

    def analytics(
        self, plugin_id: int, plugin_key: str, *, hours: float, now: float
    ) -> dict[str, object]:
        level = level_for(hours)
        series = self.series(plugin_id, now - hours * 3600, now, level)
        trends = self.fit(series)
        present = series.present()
        return {
            "resolution": level.name,
            "history": {
                "timestamps": (series.starts / 1_000_000).tolist(),
                "metrics": {
                    NAMES[c]: {
                        "average": clean(series.average[:, c]),
                        "minimum": clean(series.minimum[:, c]),
                        "maximum": clean(series.maximum[:, c]),
                        "p95": clean(series.p95[:, c]),
                    }
                    for c in present
                },
            },
            "summary": self.summary(plugin_id, series, now),
            "custom": custom_summary(self.history.samples, plugin_id, now - hours * 3600, now),
            "trends": {name: _trend_out(trend, series) for name, trend in trends.items()},
            "patterns": self.patterns(series, self._timezone()),
            "forecasts": self.forecasts(plugin_key, trends, now),
        }


def _trend_out(trend: Trend, series: Series) -> dict[str, object]:
    first, last = series.starts[0] / 1_000_000, series.starts[-1] / 1_000_000
    return {
        **trend.as_dict(),
        "fitted_first": trend.fitted(first),
        "fitted_last": trend.fitted(last),
    }
