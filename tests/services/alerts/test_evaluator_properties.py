"""Property tests: whatever the values, one level per (plugin, rule), and the
final state agrees with the last samples."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.models.levels import AlertLevel
from desktop_app.models.samples import Sample
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.evaluator import AlertEvaluator

cpu_values = st.floats(min_value=0.0, max_value=100.0, allow_nan=False)


def allowed_levels(value: float, t: ThresholdValues) -> set[AlertLevel | None]:
    """What the last value permits, given hysteresis bands below each line."""
    warn, crit, h = t.cpu_threshold, t.cpu_critical_threshold, t.hysteresis
    if value >= crit:
        return {AlertLevel.CRITICAL}
    if value >= crit * (1 - h):
        return {AlertLevel.CRITICAL, AlertLevel.WARNING}
    if value >= warn:
        return {AlertLevel.WARNING}
    if value >= warn * (1 - h):
        return {AlertLevel.WARNING, None}
    return {None}


@settings(max_examples=300)
@given(values=st.lists(cpu_values, min_size=1, max_size=60))
def test_final_level_agrees_with_the_last_sample(values: list[float]) -> None:
    thresholds = ThresholdValues()
    ev = AlertEvaluator(lambda _key: thresholds)
    for i, value in enumerate(values):
        transitions = ev.evaluate(Sample(plugin_key="p", ts=float(i), cpu_percent=value))
        cpu_changes = [t for t in transitions if t.rule.name == "cpu"]
        assert len(cpu_changes) <= 1
    assert ev.level_of("p", "cpu") in allowed_levels(values[-1], thresholds)


@settings(max_examples=200)
@given(
    values=st.lists(cpu_values, min_size=1, max_size=40),
    last=cpu_values,
    n=st.integers(min_value=1, max_value=5),
)
def test_with_for_n_samples_n_equal_samples_settle_the_state(
    values: list[float], last: float, n: int
) -> None:
    thresholds = ThresholdValues(for_samples=n)
    ev = AlertEvaluator(lambda _key: thresholds)
    for i, value in enumerate([*values, *[last] * n]):
        ev.evaluate(Sample(plugin_key="p", ts=float(i), cpu_percent=value))
    assert ev.level_of("p", "cpu") in allowed_levels(last, thresholds)


@settings(max_examples=200)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["a", "b"]), cpu_values, st.booleans()),
        min_size=1,
        max_size=80,
    )
)
def test_transitions_chain_so_there_is_never_a_second_open_alert(
    steps: list[tuple[str, float, bool]],
) -> None:
    """Replaying transitions as open/close never opens an alert twice."""
    thresholds = ThresholdValues(consecutive_errors_threshold=2)
    ev = AlertEvaluator(lambda _key: thresholds)
    open_alerts: dict[tuple[str, str], AlertLevel] = {}
    for i, (plugin, value, failed) in enumerate(steps):
        sample = Sample(plugin_key=plugin, ts=float(i), failed=failed)
        if not failed:
            sample.cpu_percent = value
        for t in ev.evaluate(sample):
            key = (t.plugin_key, t.rule.name)
            assert open_alerts.get(key) == t.old
            if t.new is None:
                del open_alerts[key]
            else:
                open_alerts[key] = t.new
    for (plugin, rule), level in open_alerts.items():
        assert ev.level_of(plugin, rule) == level
