"""The alert state machine, free of threads and storage so it can be tested
exhaustively: samples in, level transitions out.

Per (plugin, rule) it keeps one level. A value at or above a line raises or
escalates at once; to go down it must fall below the line by the hysteresis
fraction. A new level must hold for `for_samples` samples in a row before it
applies, so a single spike or dip changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from desktop_app.models.levels import AlertLevel
from desktop_app.models.samples import Sample
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.columns import Arrays, failure_flags, failure_runs, raw_levels
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
            transition = self._step(
                sample.plugin_key, sample.ts, rule, value, lines=lines, thresholds=thresholds
            )
            if transition is not None:
                transitions.append(transition)
        return transitions

    def evaluate_block(
        self, plugin_key: str, times: np.ndarray, arrays: Arrays, failed: np.ndarray | None
    ) -> list[Transition]:
        """`evaluate` for each of a plugin's samples in order, given as columns
        (none of them custom): the same transitions, in the same order. Runs
        where a rule's level holds are skipped over arrays; the state machine
        steps only through the samples that could change it."""
        thresholds = self._thresholds_for(plugin_key)
        flags = failure_flags(arrays, failed, times.size)
        failures = failure_runs(flags, self._failures.get(plugin_key, 0))
        self._failures[plugin_key] = int(failures[-1])
        found: list[tuple[int, int, Transition]] = []
        for order, (rule, lines) in enumerate(
            zip(self._rules, self._lines_for(plugin_key, thresholds), strict=True)
        ):
            values = rule.columns(arrays, failures) if rule.columns is not None else None
            if values is not None:
                steps = self._run(
                    plugin_key, times, rule, values, lines=lines, thresholds=thresholds
                )
                found.extend((index, order, t) for index, t in steps)
        found.sort(key=lambda step: step[:2])
        return [t for _, _, t in found]

    def _run(
        self,
        plugin_key: str,
        times: np.ndarray,
        rule: Rule,
        values: np.ndarray,
        *,
        lines: tuple[Line, ...],
        thresholds: ThresholdValues,
    ) -> Iterator[tuple[int, Transition]]:
        """One rule over a block: (sample index, transition) pairs."""
        told = np.flatnonzero(~np.isnan(values))
        told_values = values[told]
        raw = raw_levels(told_values, lines)
        position, key = 0, (plugin_key, rule.name)
        while position < told.size:
            level = self.level_of(plugin_key, rule.name)
            # A sample whose level is the one held changes nothing but the
            # count of a pending change, which it resets.
            changing = position + np.flatnonzero(raw[position:] != (level or 0))
            for at in changing.tolist():
                if at > position:
                    self._hold(key)
                index = int(told[at])
                value = float(told_values[at])
                t = self._step(
                    plugin_key, float(times[index]), rule, value, lines=lines, thresholds=thresholds
                )
                position = at + 1
                if t is not None:
                    yield index, t
                    break  # the level changed: what changes it now differs
            else:
                if position < told.size:
                    self._hold(key)
                return

    def _hold(self, key: tuple[str, str]) -> None:
        state = self._states.get(key)
        if state is not None:
            state.pending_count = 0

    def _step(
        self,
        plugin_key: str,
        ts: float,
        rule: Rule,
        value: float,
        *,
        lines: tuple[Line, ...],
        thresholds: ThresholdValues,
    ) -> Transition | None:
        if rule.event:
            return self._event(plugin_key, ts, rule, value, lines)
        key = (plugin_key, rule.name)
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
            plugin_key=plugin_key,
            rule=rule,
            old=current,
            new=target,
            value=value,
            # A recovery names the lowest line: the value is below every one.
            threshold=line_of(lines, target) if target else (lines[0][1] if lines else None),
            at=ts,
        )

    @staticmethod
    def _event(
        plugin_key: str, ts: float, rule: Rule, value: float, lines: tuple[Line, ...]
    ) -> Transition | None:
        """An event holds no level: each sample at its line is one more."""
        level = target_level(value, lines, None, 0.0)
        if level is None:
            return None
        return Transition(plugin_key, rule, None, level, value, line_of(lines, level), ts)
