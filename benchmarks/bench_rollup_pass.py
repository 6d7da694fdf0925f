"""What one minutely pass of the rollup worker reads and costs, late in an hour.

Run: .venv/bin/python benchmarks/bench_rollup_pass.py [--plugins 20] [--hz 50]

Stores 55 minutes of samples (five metrics) for each plugin from the start of
an hour, lets the worker catch up to minute 50, then times two passes: at
minute 51, when no bucket has completed since, and at minute 55, when a
5-minute bucket has. A pass should read only the samples of the buckets it
completes: the hour's soak (bench_soak.py) found it reading from the hourly
level's mark every minute, an ingest p99 that climbed all hour.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import SampleBlock
from desktop_app.services.analytics.rollup_worker import GRACE_SECONDS
from desktop_app.services.runtime import PluginMonitor

METRICS = ("cpu_percent", "memory_percent", "response_time", "error_count", "request_count")
BLOCK = 50_000


def store_hour(monitor: PluginMonitor, hour: float, plugins: int, hz: int) -> None:
    count = 55 * 60 * hz
    times = [hour + i / hz for i in range(count)]
    values = [40.0 + i % 7 for i in range(count)]
    for p in range(plugins):
        key = f"p{p}"
        monitor.registry.register(key, key, PluginSource.API)
        for start in range(0, count, BLOCK):
            part = slice(start, start + BLOCK)
            block = SampleBlock(key, times[part], dict.fromkeys(METRICS, values[part]))
            monitor.ingest(block).result(60)
    monitor.engine.flush().result(120)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugins", type=int, default=20)
    parser.add_argument("--hz", type=int, default=50)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-rollup-"))
    monitor = PluginMonitor.open(folder / "data", collectors=[], api={"enabled": False})
    # The worker's own thread would pass over the same hour meanwhile: only the timed passes run.
    monitor.workers.remove(monitor.rollups)
    monitor.start(monitoring=False)
    try:
        hour = time.time() // 3600 * 3600 - 3 * 3600
        store_hour(monitor, hour, args.plugins, args.hz)
        worker, grace = monitor.rollups, GRACE_SECONDS
        worker.run_once(hour + 50 * 60 + grace)
        for minute, what in ((51, "nothing due"), (55, "a 5-minute bucket due")):
            before, began = worker.stats.raw_read, time.perf_counter()
            worker.run_once(hour + minute * 60 + grace)
            took = time.perf_counter() - began
            print(
                f"pass at minute {minute} ({what}): "
                f"{worker.stats.raw_read - before:,} raw samples read, {took * 1000:.0f} ms"
            )
    finally:
        monitor.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
