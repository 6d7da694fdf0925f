"""The alert rules: which metric, which lines, which levels (R5, R6)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop_app.models.levels import AlertLevel
from desktop_app.models.metrics import BY_WIRE
from desktop_app.models.samples import Sample
from desktop_app.models.thresholds import ThresholdValues

Line = tuple[AlertLevel, float]


@dataclass(frozen=True)
class Rule:
    """One condition watched per plugin.

    `value` reads the rule's metric from a sample (and the plugin's current
    run of failed samples); None means the sample says nothing about it.
    `lines` gives the enabled (level, threshold) pairs in rising order.
    """

    name: str
    title: str
    unit: str
    uses_hysteresis: bool
    value: Callable[[Sample, int], float | None]
    lines: Callable[[ThresholdValues], tuple[Line, ...]]

    def describe(self, value: float, level: AlertLevel | None, threshold: float | None) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if level is None or threshold is None:
            return f"{self.title} back to normal at {value:g}{unit}"
        return (
            f"{self.title} {value:g}{unit} is at or above the {level.label} line "
            f"of {threshold:g}{unit}"
        )


def _shown(wire: str) -> tuple[str, str]:
    """A metric's title and unit, from the metric catalogue."""
    metric = BY_WIRE[wire]
    return metric.label, metric.unit


def _enabled(*lines: Line) -> tuple[Line, ...]:
    return tuple(line for line in lines if line[1] > 0)


RULES: tuple[Rule, ...] = (
    Rule(
        "cpu",
        *_shown("cpu_usage"),
        True,
        lambda sample, _: sample.cpu_percent,
        lambda t: _enabled(
            (AlertLevel.WARNING, t.cpu_threshold), (AlertLevel.CRITICAL, t.cpu_critical_threshold)
        ),
    ),
    Rule(
        "memory",
        *_shown("memory_usage"),
        True,
        lambda sample, _: sample.memory_percent,
        lambda t: _enabled(
            (AlertLevel.WARNING, t.memory_threshold),
            (AlertLevel.CRITICAL, t.memory_critical_threshold),
        ),
    ),
    Rule(
        "response_time",
        *_shown("response_time"),
        True,
        lambda sample, _: sample.response_time,
        lambda t: _enabled(
            (AlertLevel.WARNING, t.response_time_threshold),
            (AlertLevel.CRITICAL, t.response_time_critical_threshold),
        ),
    ),
    Rule(
        "error_rate",
        *_shown("error_rate"),
        True,
        lambda sample, _: sample.error_rate,
        lambda t: _enabled((AlertLevel.ERROR, t.error_rate_threshold)),
    ),
    Rule(
        "consecutive_errors",
        "Failed samples in a row",
        "",
        False,
        lambda _, failures: float(failures),
        lambda t: _enabled((AlertLevel.CRITICAL, float(t.consecutive_errors_threshold))),
    ),
)

RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}
