"""The alert state machine, free of threads and storage so it can be tested
exhaustively: samples in, level transitions out.

Per (plugin, rule) it keeps one level. A value at or above a line raises or
escalates at once; to go down it must fall below the line by the hysteresis
fraction. A new level must hold for `for_samples` samples in a row before it
applies, so a single spike or dip changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from desktop_app.models.levels import AlertLevel
from desktop_app.models.samples import Sample
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.rules import RULES, Line, Rule


@dataclass
class _RuleState:
    level: AlertLevel | None = None
    pending: AlertLevel | None = None
    pending_count: int = 0


@dataclass(frozen=True)
class Transition:
    plugin_key: str
    rule: Rule
    old: AlertLevel | None
    new: AlertLevel | None
    value: float
    threshold: float | None
    at: float


def target_level(
    value: float, lines: tuple[Line, ...], current: AlertLevel | None, hysteresis: float
) -> AlertLevel | None:
    """The level a value calls for, given the level the alert holds now."""
    raw: AlertLevel | None = None
    for level, threshold in lines:
        if value >= threshold:
            raw = level
    if current is None or (raw is not None and raw >= current):
        return raw
    for level, threshold in reversed(lines):
        if level > current:
            continue
        if raw is not None and level <= raw:
            break
        if value >= threshold * (1.0 - hysteresis):
            return level
    return raw


def line_of(lines: tuple[Line, ...], level: AlertLevel | None) -> float | None:
    return next((threshold for lvl, threshold in lines if lvl == level), None)


class AlertEvaluator:
    def __init__(
        self,
        thresholds_for: Callable[[str], ThresholdValues],
        rules: Iterable[Rule] = RULES,
    ) -> None:
        self._thresholds_for = thresholds_for
        self._rules = tuple(rules)
        self._states: dict[tuple[str, str], _RuleState] = {}
        self._failures: dict[str, int] = {}
        self._lines: dict[str, tuple[ThresholdValues, tuple[tuple[Line, ...], ...]]] = {}

    def level_of(self, plugin_key: str, rule_name: str) -> AlertLevel | None:
        state = self._states.get((plugin_key, rule_name))
        return state.level if state else None

    def restore(self, plugin_key: str, rule_name: str, level: AlertLevel) -> None:
        """Take up an alert that was open when the monitor last stopped."""
        self._states[(plugin_key, rule_name)] = _RuleState(level=level)

    def forget(self, plugin_key: str, rule_name: str) -> None:
        """Start afresh after an operator resolved the alert by hand."""
        self._states.pop((plugin_key, rule_name), None)

    def _lines_for(
        self, plugin_key: str, thresholds: ThresholdValues
    ) -> tuple[tuple[Line, ...], ...]:
        """Each rule's lines, worked out again only when the thresholds change."""
        cached = self._lines.get(plugin_key)
        if cached is None or cached[0] is not thresholds:
            cached = (thresholds, tuple(rule.lines(thresholds) for rule in self._rules))
            self._lines[plugin_key] = cached
        return cached[1]

    def evaluate(self, sample: Sample) -> list[Transition]:
        thresholds = self._thresholds_for(sample.plugin_key)
        failures = self._failures.get(sample.plugin_key, 0) + 1 if sample.is_failure else 0
        self._failures[sample.plugin_key] = failures
        transitions: list[Transition] = []
        for rule, lines in zip(
            self._rules, self._lines_for(sample.plugin_key, thresholds), strict=True
        ):
            value = rule.value(sample, failures)
            if value is None:
                continue
            transition = self._step(sample, rule, value, lines, thresholds)
            if transition is not None:
                transitions.append(transition)
        return transitions

    def _step(
        self,
        sample: Sample,
        rule: Rule,
        value: float,
        lines: tuple[Line, ...],
        thresholds: ThresholdValues,
    ) -> Transition | None:
        if rule.event:
            return self._event(sample, rule, value, lines)
        key = (sample.plugin_key, rule.name)
        state = self._states.get(key)
        current = state.level if state else None
        hysteresis = thresholds.hysteresis if rule.uses_hysteresis else 0.0
        target = target_level(value, lines, current, hysteresis)
        if target == current:
            if state is not None:
                state.pending_count = 0
            return None
        if state is None:
            state = self._states[key] = _RuleState()
        if state.pending_count and state.pending == target:
            state.pending_count += 1
        else:
            state.pending, state.pending_count = target, 1
        if state.pending_count < thresholds.for_samples:
            return None
        state.level, state.pending_count = target, 0
        if target is None:
            del self._states[key]
        return Transition(
            plugin_key=sample.plugin_key,
            rule=rule,
            old=current,
            new=target,
            value=value,
            # A recovery names the lowest line: the value is below every one.
            threshold=line_of(lines, target) if target else (lines[0][1] if lines else None),
            at=sample.ts,
        )

    @staticmethod
    def _event(
        sample: Sample, rule: Rule, value: float, lines: tuple[Line, ...]
    ) -> Transition | None:
        """An event holds no level: each sample at its line is one more."""
        level = target_level(value, lines, None, 0.0)
        if level is None:
            return None
        return Transition(
            sample.plugin_key, rule, None, level, value, line_of(lines, level), sample.ts
        )
