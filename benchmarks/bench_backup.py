"""Backups at volume, on this machine: what a backup costs ingestion, and the
time to recover from a lost database (RTO).

Run: .venv/bin/python benchmarks/bench_backup.py [--gigabytes 1.0] [--seconds 20]

1. A data folder whose database holds --gigabytes of samples (a week of
   synthetic plugins every 30 s, as bench_analytics.py builds them), opened
   once by a monitor until its rollups are done, as a live folder's are.
2. `plugin-monitor serve` on it, offered 2,000 samples/s: 20 batch pushes of
   100 samples a second, each sent on its schedule. For --seconds without a
   backup, then while `plugin-monitor backup` runs beside it. Figures: the
   acknowledged p99 and the share of the offered samples acknowledged
   (goals: p99 <= 50 ms and >= 0.98 served).
3. A restore into the running monitor (`POST /api/system/restore`) under the
   same load: how long it takes, and what the pushes meanwhile see (they
   wait while the writer is paused; none is refused).
4. RTO: the database deleted, then `serve --restore-latest`: seconds from
   the start until /api/system/health answers with the newest backup's data
   (goal < 60 s).
"""

from __future__ import annotations

import argparse
import collections
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from bench_analytics import build
from bench_api import free_port, wait_up

from desktop_app.paths import DATABASE_NAME
from desktop_app.services.runtime import PluginMonitor

CLI = Path(sys.executable).parent / "plugin-monitor"
ROWS_PER_GB = 7_300_000  # a samples row with its key: about 140 bytes (measured)
DAYS = 7
RATE = 2_000  # samples a second, offered
BATCH = 100


def make_folder(data_dir: Path, gigabytes: float) -> int:
    """The database, filled, then opened by a monitor until it has rolled up."""
    PluginMonitor.open(data_dir, collectors=[], api={"enabled": False}).stop()
    per_plugin = DAYS * 86_400 // 30
    plugins = max(1, int(gigabytes * ROWS_PER_GB / per_plugin))
    rows = build(data_dir / DATABASE_NAME, plugins, DAYS, time.time())
    monitor = PluginMonitor.open(data_dir, collectors=[], api={"enabled": False})
    monitor.start(monitoring=False)
    try:
        while monitor.rollups.health().details.get("last_pass_at") is None:
            time.sleep(1)  # the first pass rolls the whole history up
    finally:
        monitor.stop()
    return rows


def serve(data_dir: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(CLI),
            "serve",
            "--data-dir",
            str(data_dir),
            "--interval",
            "3600",
            "--port",
            str(port),
            "--ws-port",
            str(free_port()),
            *extra,
        ],
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


def key(data_dir: Path, *kind: str) -> str:
    return subprocess.run(
        [str(CLI), "keys", "create", *(kind or ("--ingest",)), "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def offered_load(url: str, token: str, seconds: float) -> dict[str, Any]:
    """20 batches of 100 samples a second, each sent at its time."""
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    acknowledged = [0]
    failures: collections.Counter[str] = collections.Counter()
    lock = threading.Lock()
    base = time.time() - 3600

    def push(client: httpx.Client, n: int) -> None:
        samples = [
            {
                "plugin_id": f"load{i % 20}",
                "timestamp": base + n + i / BATCH,
                "metrics": {"cpu_usage": 40.0, "memory_usage": 50.0},
            }
            for i in range(BATCH)
        ]
        started = time.perf_counter()
        try:
            answer = client.post(
                "/api/advanced-monitoring/update-metrics/batch",
                json={"samples": samples},
                headers=headers,
            )
        except httpx.HTTPError as error:
            with lock:
                failures[type(error).__name__] += 1
            return
        with lock:
            latencies.append((time.perf_counter() - started) * 1000)
            if answer.status_code == 200:
                acknowledged[0] += BATCH
            else:
                failures[f"HTTP {answer.status_code}"] += 1

    per_second = RATE // BATCH
    total = int(seconds * per_second)
    with httpx.Client(base_url=url, timeout=10) as client, ThreadPoolExecutor(16) as pool:
        start = time.perf_counter()
        for n in range(total):
            delay = start + n / per_second - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(push, client, n)
    latencies.sort()
    return {
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[int(0.99 * (len(latencies) - 1))],
        "max_ms": latencies[-1],
        "served": acknowledged[0] / (total * BATCH),
        "failures": dict(failures),
    }


def ingest_cost(data_dir: Path, seconds: float) -> tuple[dict[str, Any], dict[str, Any], float]:
    process, url = serve(data_dir)
    try:
        wait_up(url + "/api/system/health", process)  # type: ignore[arg-type]
        token = key(data_dir)
        for plugin in range(20):
            httpx.post(
                url + "/api/advanced-monitoring/register-plugin",
                json={"plugin_id": f"load{plugin}"},
                headers={"Authorization": f"Bearer {token}"},
            ).raise_for_status()
        quiet = offered_load(url, token, seconds)
        started = time.perf_counter()
        backup = subprocess.Popen(
            [str(CLI), "backup", "--data-dir", str(data_dir)], stdout=subprocess.PIPE, text=True
        )
        ended: list[float] = []
        waiter = threading.Thread(
            target=lambda: (backup.communicate(timeout=600), ended.append(time.perf_counter()))
        )
        waiter.start()
        during = offered_load(url, token, seconds)
        waiter.join(600)
        took = ended[0] - started
    finally:
        process.terminate()
        process.wait(30)
    return quiet, during, took


def live_restore(data_dir: Path, seconds: float) -> tuple[dict[str, Any], float]:
    """The newest backup restored into the serving monitor, under the load."""
    newest = sorted((data_dir / "backups").glob("plugin-monitor-*"))[-1].name
    process, url = serve(data_dir)
    try:
        wait_up(url + "/api/system/health", process)  # type: ignore[arg-type]
        token, admin = key(data_dir), key(data_dir, "--role", "admin")
        took: list[float] = []

        def restore() -> None:
            time.sleep(2)
            started = time.perf_counter()
            httpx.post(
                url + "/api/system/restore",
                json={"backup": newest},
                headers={"Authorization": f"Bearer {admin}"},
                timeout=600,
            ).raise_for_status()
            took.append(time.perf_counter() - started)

        restoring = threading.Thread(target=restore)
        restoring.start()
        during = offered_load(url, token, seconds)
        restoring.join(600)
        return during, took[0]
    finally:
        process.terminate()
        process.wait(30)


def recovery_time(data_dir: Path) -> float:
    for part in ("", "-wal", "-shm"):
        (data_dir / (DATABASE_NAME + part)).unlink(missing_ok=True)
    started = time.perf_counter()
    process, url = serve(data_dir, "--restore-latest")
    try:
        wait_up(url + "/api/system/health", process)  # type: ignore[arg-type]
        return time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp()) / "data"
    try:
        started = time.perf_counter()
        rows = make_folder(data_dir, args.gigabytes)
        size = (data_dir / DATABASE_NAME).stat().st_size
        print(
            f"database: {rows:,} samples, {size / 1e9:.2f} GB, made in "
            f"{time.perf_counter() - started:.0f} s"
        )
        quiet, during, took = ingest_cost(data_dir, args.seconds)
        newest = sorted((data_dir / "backups").glob("plugin-monitor-*"))[-1]
        print(f"backup: {took:.1f} s beside the load, {newest.stat().st_size / 1e6:.0f} MB")
        for label, run in (("without a backup", quiet), ("during a backup", during)):
            print(
                f"2,000 samples/s {label:<17}: p50 {run['p50_ms']:.1f} ms  p99 "
                f"{run['p99_ms']:.1f} ms  served {run['served']:.3f}"
            )
        print("  goals: p99 <= 50 ms, served >= 0.98")
        restoring, took = live_restore(data_dir, max(args.seconds, took + 10))
        print(
            f"restore into the running monitor: {took:.1f} s; 2,000 samples/s meanwhile: "
            f"p50 {restoring['p50_ms']:.1f} ms  p99 {restoring['p99_ms']:.1f} ms  max "
            f"{restoring['max_ms']:.0f} ms  served {restoring['served']:.3f}  "
            f"not served: {restoring['failures'] or 'none'}"
        )
        print(f"RTO (database deleted -> answering): {recovery_time(data_dir):.1f} s (goal < 60 s)")
    finally:
        shutil.rmtree(data_dir.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
