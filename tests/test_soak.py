"""A short soak (3 minutes) of the headless service and of the console, with
the hour-long soak's checks and looser bounds (benchmarks/bench_soak.py).
Marked `soak`: the test command leaves it out; `pytest -m soak` runs it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from bench_soak import early_minute, figures, soak  # found through the path above

MINUTES = 3.0

pytestmark = [pytest.mark.soak, pytest.mark.timeout(600)]


@pytest.mark.parametrize("target", ["serve", "console"])
def test_a_short_soak_stays_flat(target: str, tmp_path: Path) -> None:
    rows, load = soak(target, MINUTES, tmp_path, history=10)
    found = figures(rows, early_minute(MINUTES), load)
    assert load.errors == [], load.errors[:5]
    assert load.samples >= 150_000 and load.ws_connects >= 1_500
    assert found["threads_spread"] <= 2, found
    assert found["open_files_spread"] <= 6, found
    assert found["live_heap_mib_growth"] < 10, found
    assert found["rss_mib_growth"] < 25, found
    assert found["p99_last"] < 2 * found["p99_first"] + 20, found
