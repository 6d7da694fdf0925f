"""Replaying proposed thresholds against stored history: how many alerts
would they have raised? The stored raw samples go through the same alert
state machine (hysteresis, "for N samples" and all) as live samples, once
with the proposed values and once with the values in force, so the operator
sees the difference before saving.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from desktop_app.models.rollups import ROLLUP_METRICS
from desktop_app.models.samples import Sample
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.evaluator import AlertEvaluator
from desktop_app.services.analytics.history import History, RawWindow


@dataclass(frozen=True)
class Replay:
    """Alerts opened, by level name ("warning", …)."""

    by_level: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    def as_dict(self) -> dict[str, object]:
        return {"total": self.total, "by_level": self.by_level}


@dataclass(frozen=True)
class Backtest:
    days: int
    samples: int
    proposed: Replay
    current: Replay

    def as_dict(self) -> dict[str, object]:
        return {
            "days": self.days,
            "samples": self.samples,
            "proposed": self.proposed.as_dict(),
            "current": self.current.as_dict(),
        }


def as_samples(plugin_key: str, raw: RawWindow) -> Iterator[Sample]:
    for ts, row, failed in zip(
        raw.ts.tolist(), raw.values.tolist(), raw.failed.tolist(), strict=True
    ):
        sample = Sample(plugin_key, ts / 1_000_000, failed=bool(failed))
        for name, value in zip(ROLLUP_METRICS, row, strict=True):
            if not math.isnan(value):
                setattr(sample, name, value)
        yield sample


def replay(plugin_key: str, raw: RawWindow, values: ThresholdValues) -> Replay:
    evaluator = AlertEvaluator(lambda _key: values)
    opened: Counter[str] = Counter()
    for sample in as_samples(plugin_key, raw):
        for transition in evaluator.evaluate(sample):
            if transition.old is None and transition.new is not None:
                opened[transition.new.label] += 1
    return Replay(dict(opened))


def backtest(
    history: History,
    plugin_id: int,
    plugin_key: str,
    *,
    proposed: ThresholdValues,
    current: ThresholdValues,
    days: int,
    now: float,
) -> Backtest:
    raw = history.raw(plugin_id, now - days * 86_400, now)
    return Backtest(
        days=days,
        samples=len(raw),
        proposed=replay(plugin_key, raw, proposed),
        current=replay(plugin_key, raw, current),
    )


def backtest_plugins(
    history: History,
    plugins: Sequence[tuple[str, int, ThresholdValues, ThresholdValues]],
    *,
    days: int,
    now: float,
) -> Backtest:
    """One backtest summed over plugins given as (key, id, proposed, current)."""
    proposed: Counter[str] = Counter()
    current: Counter[str] = Counter()
    samples = 0
    for key, plugin_id, proposed_values, current_values in plugins:
        one = backtest(
            history,
            plugin_id,
            key,
            proposed=proposed_values,
            current=current_values,
            days=days,
            now=now,
        )
        proposed.update(one.proposed.by_level)
        current.update(one.current.by_level)
        samples += one.samples
    return Backtest(days, samples, Replay(dict(proposed)), Replay(dict(current)))
