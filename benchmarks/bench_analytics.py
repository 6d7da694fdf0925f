"""Analytics over long windows against a plain raw aggregate (issue 5).

Run: .venv/bin/python benchmarks/bench_analytics.py [--plugins 100] [--days 30]
     [--keep PATH] (reuse or keep the database built at PATH) [--retention]

Builds a database of P plugins x D days at one sample every 30 s, every
standard metric filled (100 x 30 days: 8.64 million samples), lets the
rollup worker catch up (timed), then times the analytics report
(`AnalyticsService.analytics`, what GET /analytics/{plugin} serves before
JSON encoding) for 24 h, 7 days and 30 days, each against a plain sqlite3
aggregate (count, average, minimum and maximum of all 14 metrics) over the
same raw window of the same plugin, in the same run. Medians over several
plugins; goal ratio <= 3.0 for 24 h and <= 1.0 for 7 and 30 days.

--retention then cuts raw retention to 7 days and times the batched deletion
of the older samples while a client keeps storing acknowledged samples.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import threading
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import numpy as np

from desktop_app.models.plugins import PluginInfo
from desktop_app.models.samples import STANDARD_METRICS, Sample
from desktop_app.services.analytics.rollup_worker import DELETE_BATCH
from desktop_app.services.export import stream_samples
from desktop_app.services.runtime import PluginMonitor

STEP = 30
WINDOWS = {"24 h": 24, "7 days": 168, "30 days": 720}
GOALS = {"24 h": 3.0, "7 days": 1.0, "30 days": 1.0}
AGGREGATE = (
    "SELECT count(*), "
    + ", ".join(f"avg({m}), min({m}), max({m})" for m in STANDARD_METRICS)
    + " FROM samples WHERE plugin_id = ? AND ts >= ? AND ts <= ?"
)


def build(database: Path, plugins: int, days: int, now: float) -> int:
    """Insert the history with plain executemany, one plugin at a time."""
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.executemany(
        "INSERT OR IGNORE INTO plugins (id, key, name, source, enabled, created_at) "
        "VALUES (?, ?, ?, 'api', 1, 0)",
        [(i + 2, f"plugin{i:03d}", f"Plugin {i}") for i in range(plugins)],
    )
    columns = ", ".join(STANDARD_METRICS)
    insert = (
        f"INSERT INTO samples (plugin_id, ts, {columns}, failed) "
        f"VALUES (?, ?, {', '.join('?' * len(STANDARD_METRICS))}, 0)"
    )
    ts = np.arange(now - days * 86_400, now, STEP)
    hours = (ts % 86_400) / 3600
    total = 0
    for i in range(plugins):
        rng = np.random.default_rng(i)
        daily = 1 + 0.5 * np.sin((hours - 8) / 24 * 2 * np.pi)
        values = [
            np.clip(20 * daily + rng.normal(0, 5, len(ts)), 0, 100),
            np.clip(50 + (ts - ts[0]) / 86_400 * 0.5 + rng.normal(0, 2, len(ts)), 0, 100),
            2e8 + rng.normal(0, 1e6, len(ts)),
            6e8 + rng.normal(0, 1e6, len(ts)),
            rng.gamma(2, 0.05, len(ts)),
            rng.poisson(1, len(ts)).astype(float),
            rng.poisson(150 * daily).astype(float),
            rng.poisson(5, len(ts)).astype(float),
            rng.poisson(20, len(ts)).astype(float),
            np.full(len(ts), 12.0),
            rng.poisson(4096, len(ts)).astype(float),
            rng.poisson(8192, len(ts)).astype(float),
            rng.poisson(10_000, len(ts)).astype(float),
            rng.poisson(20_000, len(ts)).astype(float),
        ]
        micros = (ts * 1_000_000).astype(np.int64).tolist()
        rows = zip([i + 2] * len(ts), micros, *(v.tolist() for v in values), strict=True)
        conn.executemany(insert, rows)
        conn.commit()
        total += len(ts)
    conn.close()
    return total


def median_ms(run: object, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plugins", type=int, default=100)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--sampled", type=int, default=10, help="plugins timed per window")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="data folder to build in (and reuse)")
    parser.add_argument(
        "--retention",
        action="store_true",
        help="finally cut raw retention to 7 days and time the deletion under load",
    )
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-analytics-"))
    now = time.time() // 3600 * 3600 + 1234.5  # mid-bucket, so every window has edges
    marker = folder / "built-until"
    monitor = PluginMonitor.open(folder, collectors=[], api={"enabled": False})
    database = monitor.paths.database
    if marker.exists():
        now = float(marker.read_text())
        samples = args.plugins * args.days * 86_400 // STEP
        print(f"reusing {database}")
    else:
        start = time.perf_counter()
        samples = build(database, args.plugins, args.days, now)
        marker.write_text(repr(now))
        print(f"built {samples:,} samples in {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    monitor.start(monitoring=False)
    monitor.rollups.run_once(now)  # the catch-up (the worker waits 10 s before its own)
    print(f"rollups caught up in {time.perf_counter() - start:.1f} s")
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rollup_rows = conn.execute("SELECT count(*) FROM rollups").fetchone()[0]
    size = database.stat().st_size
    print(
        f"database {size / 1e6:,.0f} MB with {rollup_rows:,} rollup rows: "
        f"{size / samples:.1f} bytes per sample"
    )

    raw = sqlite3.connect(database)
    plugins = [p for p in monitor.registry.all() if p.key.startswith("plugin")]
    sampled = plugins[:: max(1, len(plugins) // args.sampled)][: args.sampled]
    print(f"\n{'window':8} {'analytics ms':>13} {'raw sqlite3 ms':>15} {'ratio':>6}  goal")
    for label, hours in WINDOWS.items():
        ours, theirs = [], []
        since_us, until_us = int((now - hours * 3600) * 1e6), int(now * 1e6)
        for plugin in sampled:
            ours.append(
                median_ms(
                    lambda p=plugin, h=hours: monitor.analytics.analytics(
                        p.id, p.key, hours=h, now=now
                    ),
                    args.repeats,
                )
            )
            theirs.append(
                median_ms(
                    lambda p=plugin, a=since_us, b=until_us: raw.execute(
                        AGGREGATE, (p.id, a, b)
                    ).fetchall(),
                    args.repeats,
                )
            )
        a, b = statistics.median(ours), statistics.median(theirs)
        verdict = "met" if a / b <= GOALS[label] else "NOT met"
        print(f"{label:8} {a:13.2f} {b:15.2f} {a / b:6.2f}  <= {GOALS[label]:g} {verdict}")
    raw.close()
    export_memory(monitor, sampled[0], now, args.days)
    if args.retention:
        retention_under_load(monitor, now, args.days)
        marker.unlink()  # the history is cut: the next run builds afresh
    monitor.stop()


def export_memory(monitor: PluginMonitor, plugin: PluginInfo, now: float, days: int) -> None:
    """The streamed export: its speed, and its peak Python memory for a week
    and for the whole history (alike when nothing is built whole)."""

    def export(window_days: int) -> tuple[int, int]:
        size = rows = 0
        for text, count in stream_samples(
            monitor.samples, {plugin.key: plugin.id}, now - window_days * 86_400, now, "csv"
        ):
            size += len(text)
            rows += count
        return rows, size

    start = time.perf_counter()
    rows, size = export(days)
    took = time.perf_counter() - start
    peaks = []
    for window_days in (7, days):
        tracemalloc.start()
        export(window_days)
        peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
        tracemalloc.stop()
    print(
        f"\nexport of {days} days: {rows:,} samples, {size / 1e6:.1f} MB of CSV in {took:.1f} s "
        f"({rows / took:,.0f} samples/s); peak Python memory {peaks[0]:.1f} MB for 7 days, "
        f"{peaks[1]:.1f} MB for {days} days"
    )


def retention_under_load(monitor: PluginMonitor, now: float, days: int) -> None:
    """Cut raw retention to 7 days and time the deletion while one client
    keeps storing acknowledged samples: their latency shows whether the
    batched deletes hold ingestion up."""
    plugin = next(p for p in monitor.registry.all() if p.key.startswith("plugin"))
    latencies: list[float] = []
    stop = threading.Event()

    def client() -> None:
        i = 0
        while not stop.is_set():
            i += 1
            start = time.perf_counter()
            monitor.ingest([Sample(plugin.key, now + i / 1000, cpu_percent=1.0)]).result(60)
            latencies.append((time.perf_counter() - start) * 1000)
            time.sleep(0.002)

    def percentiles(values: list[float]) -> str:
        p50, p99 = np.percentile(values, [50, 99])
        return f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(values):.1f} ms"

    thread = threading.Thread(target=client)
    thread.start()
    time.sleep(3)
    before = list(latencies)
    monitor.rollups.retention = replace(monitor.rollups.retention, raw_retention_days=7)
    start = time.perf_counter()
    stats = monitor.rollups.run_once(now)
    took = time.perf_counter() - start
    during = latencies[len(before) :]
    stop.set()
    thread.join()
    print(
        f"\nretention: deleted {stats.raw_deleted:,} raw samples ({days - 7} days x "
        f"{len(monitor.registry.all()) - 1} plugins) in {took:.1f} s "
        f"({stats.raw_deleted / took:,.0f} rows/s, batches of {DELETE_BATCH:,})"
    )
    print(f"acknowledged writes before: {percentiles(before)} ({len(before)} writes)")
    print(f"acknowledged writes during: {percentiles(during)} ({len(during)} writes)")


if __name__ == "__main__":
    main()
