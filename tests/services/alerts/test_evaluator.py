"""The alert state machine on hand-made sequences, boundaries included."""

from __future__ import annotations

import pytest

from desktop_app.models.levels import AlertLevel
from desktop_app.models.samples import Sample
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.evaluator import AlertEvaluator, target_level

W, C, E = AlertLevel.WARNING, AlertLevel.CRITICAL, AlertLevel.ERROR


def evaluator(**overrides: float) -> AlertEvaluator:
    values = ThresholdValues(**overrides)  # type: ignore[arg-type]
    return AlertEvaluator(lambda _key: values)


def run(ev: AlertEvaluator, rule: str, **series: list[float]) -> list[AlertLevel | None]:
    """Feed samples; return the rule's level after each one."""
    ((metric, values),) = series.items()
    levels = []
    for i, value in enumerate(values):
        ev.evaluate(Sample(plugin_key="p", ts=float(i), **{metric: value}))
        levels.append(ev.level_of("p", rule))
    return levels


def test_default_thresholds_are_the_guides() -> None:
    t = ThresholdValues()
    assert (t.cpu_threshold, t.cpu_critical_threshold) == (80.0, 95.0)
    assert (t.memory_threshold, t.memory_critical_threshold) == (85.0, 95.0)
    assert t.response_time_threshold == 5.0
    assert t.error_rate_threshold == 10.0
    assert t.consecutive_errors_threshold == 5


@pytest.mark.parametrize(
    ("value", "expected"),
    [(79.99, None), (80.0, W), (94.99, W), (95.0, C), (100.0, C)],
)
def test_cpu_lines_at_their_boundaries(value: float, expected: AlertLevel | None) -> None:
    assert run(evaluator(), "cpu", cpu_percent=[value]) == [expected]


def test_warning_then_critical_then_resolved() -> None:
    levels = run(evaluator(), "cpu", cpu_percent=[50, 85, 96, 97, 85, 10])
    assert levels == [None, W, C, C, W, None]


def test_memory_and_response_time_use_their_own_lines() -> None:
    assert run(evaluator(), "memory", memory_percent=[84, 85, 95]) == [None, W, C]
    assert run(evaluator(), "response_time", response_time=[4.9, 5.0, 60.0]) == [None, W, W]
    ev = evaluator(response_time_critical_threshold=10.0)
    assert run(ev, "response_time", response_time=[5.0, 10.0]) == [W, C]


def test_hysteresis_holds_the_alert_until_the_value_falls_clearly_below() -> None:
    # 80 % warning with 5 % hysteresis clears below 76 %.
    levels = run(evaluator(), "cpu", cpu_percent=[81, 79, 77, 76.01, 75.99])
    assert levels == [W, W, W, W, None]
    # 95 % critical de-escalates below 90.25 %.
    levels = run(evaluator(), "cpu", cpu_percent=[96, 91, 90.3, 90.2])
    assert levels == [C, C, C, W]


def test_without_hysteresis_the_alert_flaps() -> None:
    levels = run(evaluator(hysteresis=0.0), "cpu", cpu_percent=[81, 79.9, 81, 79.9])
    assert levels == [W, None, W, None]


def test_for_n_samples_ignores_a_single_spike() -> None:
    spiky = run(evaluator(for_samples=3), "cpu", cpu_percent=[99, 10, 99, 99, 10, 99])
    assert spiky == [None] * 6
    ev = evaluator(for_samples=3)
    assert run(ev, "cpu", cpu_percent=[99, 99, 99]) == [None, None, C]
    assert run(ev, "cpu", cpu_percent=[10, 10, 99, 10, 10, 10]) == [C, C, C, C, C, None]


def test_error_rate_raises_an_error_level_alert() -> None:
    ev = evaluator()
    for i, (errors, requests) in enumerate([(1, 100), (10, 100), (30, 100), (0, 100)]):
        ev.evaluate(Sample(plugin_key="p", ts=i, error_count=errors, request_count=requests))
        if i == 0:
            assert ev.level_of("p", "error_rate") is None
        if i in (1, 2):
            assert ev.level_of("p", "error_rate") is E
    assert ev.level_of("p", "error_rate") is None


def test_five_consecutive_failures_are_critical_and_one_success_clears() -> None:
    ev = evaluator()
    for i in range(4):
        ev.evaluate(Sample(plugin_key="p", ts=i, failed=True))
    assert ev.level_of("p", "consecutive_errors") is None
    ev.evaluate(Sample(plugin_key="p", ts=5, failed=True))
    assert ev.level_of("p", "consecutive_errors") is C
    ev.evaluate(Sample(plugin_key="p", ts=6, error_count=0, request_count=10))
    assert ev.level_of("p", "consecutive_errors") is None


def test_a_sample_whose_every_request_failed_counts_as_a_failure() -> None:
    ev = evaluator(consecutive_errors_threshold=2)
    ev.evaluate(Sample(plugin_key="p", ts=0, error_count=5, request_count=5))
    ev.evaluate(Sample(plugin_key="p", ts=1, error_count=3, request_count=0))
    assert ev.level_of("p", "consecutive_errors") is C


def test_a_line_set_to_zero_is_off() -> None:
    assert run(evaluator(cpu_critical_threshold=0), "cpu", cpu_percent=[99]) == [W]
    assert run(evaluator(cpu_threshold=0, cpu_critical_threshold=0), "cpu", cpu_percent=[99]) == [
        None
    ]


def test_plugins_are_independent() -> None:
    ev = evaluator()
    ev.evaluate(Sample(plugin_key="a", ts=0, cpu_percent=99))
    ev.evaluate(Sample(plugin_key="b", ts=0, cpu_percent=10))
    assert ev.level_of("a", "cpu") is C
    assert ev.level_of("b", "cpu") is None


def test_a_sample_without_the_metric_changes_nothing() -> None:
    ev = evaluator()
    ev.evaluate(Sample(plugin_key="p", ts=0, cpu_percent=99))
    ev.evaluate(Sample(plugin_key="p", ts=1, memory_percent=10))
    assert ev.level_of("p", "cpu") is C


def test_target_level_holds_between_the_line_and_its_clear_line() -> None:
    lines = ((W, 80.0), (C, 95.0))
    assert target_level(78.0, lines, W, 0.05) is W
    assert target_level(78.0, lines, None, 0.05) is None
    assert target_level(92.0, lines, C, 0.05) is C
    assert target_level(78.0, lines, C, 0.05) is W
    assert target_level(10.0, lines, C, 0.05) is None
