"""Freed memory goes back to the system (services/freed_memory.py): in a
process of its own, a burst that frees most of what it allocated leaves glibc
keeping it, until the part's look trims; growth under the limit (what
a steady load frees and reuses) is left alone."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from desktop_app.services.runtime import PluginMonitor

PROGRAM = textwrap.dedent(
    """
    import json, sys
    import psutil
    from desktop_app.services.freed_memory import FreedMemoryReturn
    def rss(): return psutil.Process().memory_info().rss
    part = FreedMemoryReturn(growth=int(sys.argv[1]) * 2**20)
    part.tick()  # the floor, before the burst
    keep, burst = [], []
    for i in range(400_000):  # 600 to 1,200 bytes each: glibc's, not Python's small-object pool
        (keep if i % 10 == 0 else burst).append(bytearray(600 + (i % 7) * 100))
    del burst  # freed in the middle of the heap, between the kept tenth
    before = rss()
    part.tick()
    print(json.dumps({"before": before, "after": rss(), **part.health().details}))
    """
)
MIB = 2**20


def _burst_then_check(growth_mib: int) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(growth_mib)], capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's heap is Linux's")
def test_a_burst_freed_is_given_back() -> None:
    found = _burst_then_check(growth_mib=128)
    assert found["trims"] == 1
    assert found["before"] - found["after"] > 150 * MIB, found
    assert found["returned_mib"] > 150, found
    assert found["kept_free_mib"] is not None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's heap is Linux's")
def test_growth_under_the_limit_is_left_alone() -> None:
    found = _burst_then_check(growth_mib=4096)
    assert found["trims"] == 0 and found["returned_mib"] == 0
    assert found["before"] - found["after"] < 20 * MIB, found


def test_the_monitor_runs_the_part(monitor: PluginMonitor) -> None:
    health = monitor.health().worker("freed-memory")
    assert health is not None and health.ok
