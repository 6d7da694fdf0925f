"""Reads under load: the guide's response-time goals (mean < 1 s, P95 < 3 s;
stretch P95 <= 100 ms) while samples keep arriving.

Run: .venv/bin/python benchmarks/bench_load.py [--seconds 60]

`plugin-monitor serve` in its own process. History first: 24 hours of ten
plugins at one sample a minute, and 10 minutes of a dense plugin at 130
samples/s (78,000 samples, the window the issue measured). Then, for
`--seconds`: 1,000 samples/s pushed as columns (ten plugins at 100 a second;
the dense one among them, so its newest minutes stay dense), and 8 readers,
each in a loop over the dense plugin's 24-hour analytics, its last hour of
metrics, and the open alerts. Each read's mean, P95 and worst are printed.
With `--distinct`, reader i asks for 24 + i hours of analytics and 1 + i
hours of metrics, so no two readers ask the same thing at once (identical
reads in flight together are computed once: `services/api/shared_reads.py`).
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections import defaultdict

import httpx
from bench_api import Monitor

DENSE = "b0"
PLUGINS = [f"b{i}" for i in range(10)]
READS = {
    "analytics 24 h": f"/api/advanced-monitoring/analytics/{DENSE}?hours=24",
    "metrics 1 h": f"/api/advanced-monitoring/metrics/{DENSE}?hours=1",
    "open alerts": "/api/advanced-monitoring/alerts",
}


def columns(plugin: str, times: list[float]) -> dict[str, object]:
    return {
        "plugin_id": plugin,
        "timestamps": times,
        "metrics": {
            "cpu_usage": [20.0 + (t % 60) for t in times],
            "memory_usage": [40.0] * len(times),
            "response_time": [0.2] * len(times),
            "error_count": [0] * len(times),
            "request_count": [100] * len(times),
        },
    }


def seed(client: httpx.Client, now: float) -> None:
    for plugin in PLUGINS:
        times = [now - 86_400 + 60 * i for i in range(1440 - 11)]
        client.post("/api/advanced-monitoring/update-metrics/columns", json=columns(plugin, times))
    dense = [now - 600 + i / 130 for i in range(78_000)]
    for start in range(0, len(dense), 10_000):
        block = columns(DENSE, dense[start : start + 10_000])
        client.post(
            "/api/advanced-monitoring/update-metrics/columns", json=block
        ).raise_for_status()


def push(client: httpx.Client, stop: threading.Event, errors: list[str]) -> int:
    """1,000 samples/s: every 0.1 s, 10 samples for each of ten plugins."""
    sent, tick = 0, time.time()
    while not stop.is_set():
        for plugin in PLUGINS:
            times = [tick + i / 100 for i in range(10)]
            answer = client.post(
                "/api/advanced-monitoring/update-metrics/columns", json=columns(plugin, times)
            )
            if answer.status_code != 200:
                errors.append(f"push {answer.status_code}")
            sent += 10
        tick += 0.1
        time.sleep(max(0.0, tick - time.time()))
    return sent


def read(
    url: str,
    token: str,
    stop: threading.Event,
    took: dict[str, list[float]],
    errors: list[str],
    *,
    reads: dict[str, str],
) -> None:
    with httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as client:
        while not stop.is_set():
            for name, path in reads.items():
                started = time.perf_counter()
                answer = client.get(path)
                took[name].append(time.perf_counter() - started)
                if answer.status_code != 200:
                    errors.append(f"{name} {answer.status_code}")


def reads_of(reader: int, args: argparse.Namespace) -> dict[str, str]:
    if not args.distinct:
        return READS
    return {
        "analytics 24 h": f"/api/advanced-monitoring/analytics/{DENSE}?hours={24 + reader}",
        "metrics 1 h": f"/api/advanced-monitoring/metrics/{DENSE}?hours={1 + reader}",
        "open alerts": READS["open alerts"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--distinct", action="store_true", help="each reader its own windows")
    args = parser.parse_args()
    monitor = Monitor()
    took: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    try:
        headers = {"Authorization": f"Bearer {monitor.ingest_token}"}
        with httpx.Client(base_url=monitor.url, headers=headers, timeout=60) as client:
            seed(client, time.time())
            stop = threading.Event()
            readers = [
                threading.Thread(
                    target=read,
                    args=(monitor.url, monitor.token, stop, took, errors),
                    kwargs={"reads": reads_of(i, args)},
                )
                for i in range(8)
            ]
            for reader in readers:
                reader.start()
            pushed: list[int] = []
            pusher = threading.Thread(target=lambda: pushed.append(push(client, stop, errors)))
            pusher.start()
            time.sleep(args.seconds)
            stop.set()
            pusher.join()
            for reader in readers:
                reader.join()
    finally:
        monitor.stop()
    print(f"pushed {pushed[0]:,} samples in {args.seconds} s; errors: {len(errors)} {errors[:3]}")
    for name, values in took.items():
        values.sort()
        p95 = values[int(0.95 * (len(values) - 1))]
        print(
            f"{name:15}: {len(values):5} reads  mean {statistics.fmean(values) * 1000:7.1f} ms  "
            f"P95 {p95 * 1000:7.1f} ms  worst {values[-1] * 1000:7.1f} ms "
            "(goal: mean < 1 s, P95 < 3 s; stretch P95 <= 100 ms)"
        )


if __name__ == "__main__":
    main()
