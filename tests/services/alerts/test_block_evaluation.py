"""A columnar block evaluated in bulk gives exactly what evaluating its
samples one by one gives: the same transitions in the same order, and the
same state left for the next block."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.models.samples import SampleBlock
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.evaluator import AlertEvaluator, Transition

# Values near the lines and their hysteresis bands, and missing ones.
near_lines = st.one_of(
    st.none(),
    st.sampled_from([0.0, 70.0, 75.9, 76.0, 79.9, 80.0, 90.0, 94.9, 95.0, 99.0]),
    st.floats(min_value=0.0, max_value=100.0),
)
counts = st.one_of(st.none(), st.sampled_from([0.0, 1.0, 5.0, 10.0, 100.0]))


@st.composite
def blocks(draw: st.DrawFn) -> list[SampleBlock]:
    """A few consecutive blocks of one plugin, sharing state between them."""
    made = []
    start = 0.0
    for _ in range(draw(st.integers(1, 3))):
        size = draw(st.integers(1, 40))
        values: dict[str, list[float | None]] = {
            "cpu_percent": draw(st.lists(near_lines, min_size=size, max_size=size)),
            "response_time": draw(
                st.lists(
                    st.one_of(st.none(), st.sampled_from([0.1, 5.0, 9.0])),
                    min_size=size,
                    max_size=size,
                )
            ),
        }
        if draw(st.booleans()):
            values["error_count"] = draw(st.lists(counts, min_size=size, max_size=size))
            values["request_count"] = draw(st.lists(counts, min_size=size, max_size=size))
        failed = draw(st.one_of(st.none(), st.lists(st.booleans(), min_size=size, max_size=size)))
        made.append(SampleBlock("p", [start + i for i in range(size)], values, failed=failed))
        start += size
    return made


def _pairs(transitions: list[Transition]) -> list[tuple[str, object, object, float, float]]:
    return [(t.rule.name, t.old, t.new, t.value, t.at) for t in transitions]


@settings(max_examples=400, deadline=None)
@given(made=blocks(), for_samples=st.integers(1, 3))
def test_bulk_evaluation_equals_one_by_one(made: list[SampleBlock], for_samples: int) -> None:
    thresholds = ThresholdValues(for_samples=for_samples, consecutive_errors_threshold=3)
    one_by_one = AlertEvaluator(lambda _key: thresholds)
    bulk = AlertEvaluator(lambda _key: thresholds)
    for block in made:
        expected = [t for sample in block for t in one_by_one.evaluate(sample)]
        arrays = {name: np.asarray(column, dtype=float) for name, column in block.values.items()}
        failed = None if block.failed is None else np.asarray(block.failed)
        got = bulk.evaluate_block("p", np.asarray(block.times), arrays, failed)
        assert _pairs(got) == _pairs(expected)
        for rule in ("cpu", "response_time", "error_rate", "consecutive_errors"):
            assert bulk.level_of("p", rule) == one_by_one.level_of("p", rule)
