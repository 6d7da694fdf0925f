"""Conversions the API relies on."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.models.samples import Sample
from desktop_app.services.api.push import PUSH, sample_from
from desktop_app.services.api.schemas import iso


@given(st.floats(min_value=0, max_value=4_102_444_800, allow_nan=False))
def test_iso_matches_datetime(ts: float) -> None:
    expected = datetime.fromtimestamp(round(ts * 1_000_000) / 1_000_000, UTC)
    assert iso(ts) == expected.isoformat(timespec="microseconds")


def test_the_guides_metric_names_map_to_the_stored_ones() -> None:
    push = PUSH.validate_json(
        b'{"plugin_id": "p", "metrics": {"cpu_usage": 1, "memory_usage": 2, '
        b'"response_time": 3, "error_count": 4, "request_count": 5}}'
    )
    assert sample_from(push, 10.0) == Sample(
        "p",
        10.0,
        cpu_percent=1,
        memory_percent=2,
        response_time=3,
        error_count=4,
        request_count=5,
    )


def test_response_time_defaults_to_the_mean_of_the_request_times() -> None:
    push = PUSH.validate_json(b'{"plugin_id": "p", "metrics": {"response_times": [1, 2, 6]}}')
    assert sample_from(push, 0.0).response_time == 3.0
