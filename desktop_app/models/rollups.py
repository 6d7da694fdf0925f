"""Rollup levels: samples summarised per bucket as they age (R18).

Each level keeps, per plugin, bucket and standard metric, the count, sum,
minimum, maximum and 95th percentile of the samples that fell in it, so
averages, extremes and totals over any run of buckets are exact and a long
window reads a few hundred rows instead of every sample.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.models.samples import STANDARD_METRICS

ROLLUP_STATS: tuple[str, ...] = ("count", "sum", "min", "max", "p95")
ROLLUP_METRICS: tuple[str, ...] = tuple(STANDARD_METRICS)
ROLLUP_COLUMNS: tuple[str, ...] = tuple(
    f"{metric}_{stat}" for metric in ROLLUP_METRICS for stat in ROLLUP_STATS
)


@dataclass(frozen=True, slots=True)
class RollupLevel:
    name: str
    step: int  # seconds per bucket

    @property
    def step_us(self) -> int:
        return self.step * 1_000_000


FIVE_MINUTES = RollupLevel("5m", 300)
ONE_HOUR = RollupLevel("1h", 3600)
LEVELS: tuple[RollupLevel, ...] = (FIVE_MINUTES, ONE_HOUR)
