"""Samples per second through the single writer (wide rows, group commits).

Run: .venv/bin/python benchmarks/bench_writer.py [--samples N]

Two loads on a fresh SQLite file in WAL mode, synchronous=NORMAL:
  batch  — batches of 1,000 samples, several in flight (a high-rate client);
  acked  — 32 threads each storing one sample and waiting for its commit
           (the update-metrics path: acknowledged means committed).
With --postgres, the same two loads again on a throw-away PostgreSQL server
with its durable defaults (fsync and synchronous_commit on), in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from sqlalchemy import Engine

from desktop_app.models.samples import Sample
from desktop_app.services.storage.database import open_database, size_bytes
from desktop_app.services.storage.writer import DatabaseWriter
from desktop_app.services.workers import deadline_in

PLUGINS = 100


def full_sample(plugin: int, ts: float) -> Sample:
    return Sample(
        plugin_key=f"p{plugin}",
        ts=ts,
        cpu_percent=12.5,
        memory_percent=40.0,
        memory_rss=123_456_789.0,
        memory_vms=987_654_321.0,
        response_time=0.2,
        error_count=1.0,
        request_count=150.0,
        connections_active=5.0,
        connections_total=9.0,
        threads=12.0,
        disk_read_bytes=4096.0,
        disk_write_bytes=8192.0,
        net_recv_bytes=1000.0,
        net_sent_bytes=2000.0,
    )


def make_writer(db: Path | str) -> tuple[DatabaseWriter, Engine]:
    engine = open_database(db)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO plugins (id, key, name, source, enabled, created_at) VALUES "
            + ",".join(f"({i + 1}, 'p{i}', 'p{i}', 'api', true, 0)" for i in range(PLUGINS))
        )
    ids = {f"p{i}": i + 1 for i in range(PLUGINS)}
    writer = DatabaseWriter(engine, ids.get, batch_limit=20_000)
    writer.start()
    return writer, engine


def bench_batch(
    db: Path | str, total: int, batch: int = 1000, in_flight: int = 8
) -> dict[str, float]:
    writer, engine = make_writer(db)
    pending: list[Future[int]] = []
    ts = 1_700_000_000.0
    batches = [
        [full_sample(i % PLUGINS, ts + n + i / batch) for i in range(batch)]
        for n in range(total // batch)
    ]
    started = time.perf_counter()
    for samples in batches:
        pending.append(writer.submit(samples))
        if len(pending) >= in_flight:
            pending.pop(0).result()
    for future in pending:
        future.result()
    elapsed = time.perf_counter() - started
    writer.stop(deadline_in(30))
    size = size_bytes(engine)[0] or 0
    engine.dispose()
    stored = (total // batch) * batch
    return {
        "samples": stored,
        "seconds": elapsed,
        "samples_per_s": stored / elapsed,
        "bytes_per_sample": size / stored,
    }


def bench_acked(db: Path | str, seconds: float = 5.0, threads: int = 32) -> dict[str, float]:
    writer, engine = make_writer(db)
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(n: int) -> None:
        own: list[float] = []
        i = 0
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            writer.submit([full_sample(n % PLUGINS, 1_700_000_000 + n * 1e6 + i)]).result()
            own.append(time.perf_counter() - t0)
            i += 1
        with lock:
            latencies.extend(own)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    groups = writer.stats.committed_groups
    writer.stop(deadline_in(30))
    engine.dispose()
    latencies.sort()
    return {
        "samples": len(latencies),
        "samples_per_s": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "samples_per_group": len(latencies) / max(groups, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=500_000)
    parser.add_argument("--postgres", action="store_true", help="the same on PostgreSQL too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report(
            "SQLite",
            bench_batch(Path(tmp) / "batch.db", args.samples),
            bench_acked(Path(tmp) / "acked.db"),
        )
    if args.postgres:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from tests.postgres import PostgresServer, postgres_bin

        bin_dir = postgres_bin()
        if bin_dir is None:
            raise SystemExit("--postgres needs PostgreSQL's initdb (apt-get install postgresql)")
        server = PostgresServer(bin_dir, durable=True)
        server.start()
        try:
            with server.fresh_database() as batch_url, server.fresh_database() as acked_url:
                report("PostgreSQL", bench_batch(batch_url, args.samples), bench_acked(acked_url))
        finally:
            server.stop()


def report(engine: str, batch: dict[str, float], acked: dict[str, float]) -> None:
    print(
        f"{engine:<10} batch ingest : {batch['samples_per_s']:>10,.0f} samples/s "
        f"({batch['samples']:,} samples in {batch['seconds']:.2f}s, "
        f"{batch['bytes_per_sample']:.0f} bytes/sample on disk)"
    )
    print(
        f"{engine:<10} acked writes : {acked['samples_per_s']:>10,.0f} samples/s from 32 threads, "
        f"p50 {acked['p50_ms']:.2f} ms, p99 {acked['p99_ms']:.2f} ms, "
        f"{acked['samples_per_group']:.1f} samples per commit"
    )


if __name__ == "__main__":
    main()
