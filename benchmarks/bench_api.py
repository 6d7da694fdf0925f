"""The API under load, on this machine, in one run.

Run: .venv/bin/python benchmarks/bench_api.py [--seconds 10]
Needs wrk (Debian: apt-get install -y wrk).

1. update-metrics at 32 connections (durable: answered after commit) against
   a raw Starlette echo of the same body on the same uvicorn settings; the
   ratio of requests/s is the figure of merit (goal >= 0.5).
2. Batch ingest through update-metrics/batch (5,000 samples a request), and
   columnar ingest through update-metrics/columns (10,000 samples a request,
   one plugin, the guide's five metrics), in samples/s acknowledged (goal
   >= 250,000).
3. Delay from update-metrics returning to a WebSocket client holding the
   alert it raised (goal p99 <= 50 ms), with `--silences` silences (100 by
   default, none matching) that every alert is checked against.
4. update-metrics again while 30-day backtests run one after another over a
   plugin with a sample every 10 s (259,200 samples each): the ingest p99
   (goal <= 50 ms) and the backtests' own time. `--no-backtest` skips it.
5. With `--postgres`: 1 and 2 again on a monitor that keeps its history in a
   throw-away PostgreSQL server (initdb, as the tests start it, but with the
   server's durable defaults: fsync and synchronous_commit on), next to SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).parent / "plugin-monitor"
BODY = {
    "plugin_id": "bench",
    "metrics": {
        "cpu_usage": 45.2,
        "memory_usage": 67.8,
        "response_time": 1.2,
        "error_count": 3,
        "request_count": 150,
    },
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "server exited"
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def wrk(url: str, seconds: int, token: str | None) -> dict[str, float]:
    script = Path(tempfile.mkdtemp()) / "post.lua"
    headers = 'wrk.headers["Content-Type"] = "application/json"\n'
    if token:
        headers += f'wrk.headers["Authorization"] = "Bearer {token}"\n'
    script.write_text(f'wrk.method = "POST"\nwrk.body = {json.dumps(json.dumps(BODY))}\n{headers}')
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert match, out
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": float(non_2xx.group(1)) if non_2xx else 0.0,
        "socket_errors": 1.0 if errors else 0.0,
    }


def bench_echo(seconds: int) -> dict[str, float]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "echo_server:app",
            "--port",
            str(port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT / "benchmarks",
    )
    try:
        wait_up(f"http://127.0.0.1:{port}/", server)
        return wrk(f"http://127.0.0.1:{port}/api/advanced-monitoring/update-metrics", seconds, None)
    finally:
        server.terminate()
        server.wait()


class Monitor:
    """plugin-monitor serve in its own process, with a key and a plugin;
    on PostgreSQL at `database_url` when one is given."""

    def __init__(self, database_url: str | None = None) -> None:
        self.data_dir = Path(tempfile.mkdtemp())
        # One --ingest key pushes far beyond its default allowance (120,000 a minute)
        # here: raised, so the limiter counts every push but refuses none.
        (self.data_dir / "config").mkdir(parents=True)
        (self.data_dir / "config" / "settings.toml").write_text(
            "[security]\ningest_rate_limit_per_minute = 100000000\n", encoding="utf-8"
        )
        self.port, self.ws_port = free_port(), free_port()
        self.database_url = database_url
        self.process = subprocess.Popen(
            [
                str(CLI),
                "serve",
                "--data-dir",
                str(self.data_dir),
                "--interval",
                "3600",
                "--port",
                str(self.port),
                "--ws-port",
                str(self.ws_port),
                *(["--database-url", database_url] if database_url else []),
            ],
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        wait_up(self.url + "/api/system/health", self.process)
        self.token = self.key("--role", "admin")
        self.ingest_token = self.key("--ingest")  # what a plugin pushing at this rate uses
        self.headers = {"Authorization": f"Bearer {self.token}"}
        for plugin in ["bench", *(f"b{i}" for i in range(100))]:
            httpx.post(
                self.url + "/api/advanced-monitoring/register-plugin",
                json={"plugin_id": plugin},
                headers=self.headers,
            ).raise_for_status()

    def key(self, *options: str) -> str:
        where = ["--database-url", self.database_url] if self.database_url else []
        return subprocess.run(
            [str(CLI), "keys", "create", *options, "--data-dir", str(self.data_dir), *where],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def bench_batch(monitor: Monitor, batches: int = 40, size: int = 5000) -> float:
    base = time.time() - batches * size - 86_400  # all in the past: the future is refused
    bodies = [
        json.dumps(
            {
                "samples": [
                    {
                        "plugin_id": f"b{i % 100}",
                        "timestamp": base + n * size + i,
                        "metrics": {
                            "cpu_usage": 10.0,
                            "memory_usage": 20.0,
                            "response_time": 0.1,
                            "error_count": 0,
                            "request_count": 100,
                        },
                    }
                    for i in range(size)
                ]
            }
        ).encode()
        for n in range(batches)
    ]
    headers = {**monitor.headers, "Content-Type": "application/json"}
    with httpx.Client(base_url=monitor.url, timeout=60) as client:
        client.post(
            "/api/advanced-monitoring/update-metrics/batch", content=bodies[0], headers=headers
        ).raise_for_status()

        def send(body: bytes) -> None:
            client.post(
                "/api/advanced-monitoring/update-metrics/batch", content=body, headers=headers
            ).raise_for_status()

        started = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(send, bodies[1:]))
        elapsed = time.perf_counter() - started
    return (batches - 1) * size / elapsed


def bench_columns(
    monitor: Monitor, batches: int = 100, size: int = 10_000, in_flight: int = 4
) -> float:
    """Columnar ingest: each request one plugin's `size` samples with the
    guide's five metrics, 4 requests in flight; bodies encoded beforehand."""
    base = time.time() - batches * size - 86_400
    bodies = []
    for n in range(batches):
        times = [base + n * size + i for i in range(size)]
        metrics = {
            "cpu_usage": [10.0 + i % 50 for i in range(size)],
            "memory_usage": [20.0] * size,
            "response_time": [0.1] * size,
            "error_count": [0] * size,
            "request_count": [100] * size,
        }
        body = {"plugin_id": f"b{n % 100}", "timestamps": times, "metrics": metrics}
        bodies.append(json.dumps(body).encode())
    route = "/api/advanced-monitoring/update-metrics/columns"
    headers = {
        "Authorization": f"Bearer {monitor.ingest_token}",
        "Content-Type": "application/json",
    }
    with httpx.Client(base_url=monitor.url, timeout=60) as client:
        client.post(route, content=bodies[0], headers=headers).raise_for_status()

        def send(body: bytes) -> None:
            client.post(route, content=body, headers=headers).raise_for_status()

        started = time.perf_counter()
        with ThreadPoolExecutor(in_flight) as pool:
            list(pool.map(send, bodies[1:]))
        elapsed = time.perf_counter() - started
    return (batches - 1) * size / elapsed


PUSHED_EVENTS = ("raised", "reopened", "resolved")


def define_silences(monitor: Monitor, count: int) -> None:
    with httpx.Client(base_url=monitor.url, headers=monitor.headers) as client:
        for n in range(count):
            client.post(
                "/api/advanced-monitoring/silences",
                json={"plugin_id": f"other-{n}", "duration_minutes": 600, "comment": "bench"},
            ).raise_for_status()


def bench_alert_delay(monitor: Monitor, rounds: int = 300) -> dict[str, float]:
    received: dict[int, float] = {}
    ready = threading.Event()
    done = threading.Event()
    url = f"ws://127.0.0.1:{monitor.ws_port}/?plugin_id=bench"

    def listen() -> None:
        with connect(url) as ws:
            ready.set()
            while not done.is_set():
                try:
                    message = json.loads(ws.recv(timeout=0.5))
                except TimeoutError:
                    continue
                # One raise (or reopen) or resolve per push; `flapping` marks the alert once.
                if message["type"] == "alert" and message["event"] in PUSHED_EVENTS:
                    received[len(received)] = time.perf_counter()

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    ready.wait(10)
    delays = []
    with httpx.Client(base_url=monitor.url, headers=monitor.headers) as client:
        for n in range(rounds):
            cpu = 99.0 if n % 2 == 0 else 10.0  # raise, then resolve: one event per push
            client.post(
                "/api/advanced-monitoring/update-metrics",
                json={"plugin_id": "bench", "metrics": {"cpu_usage": cpu}},
            ).raise_for_status()
            answered = time.perf_counter()
            deadline = answered + 2
            while n not in received and time.perf_counter() < deadline:
                time.sleep(0.0002)
            if n in received:
                delays.append(max(0.0, received[n] - answered) * 1000)
    done.set()
    listener.join(5)  # closed before the monitor stops, which would close it with 1012
    delays.sort()
    return {
        "events": len(delays),
        "p50_ms": statistics.median(delays),
        "p99_ms": delays[int(0.99 * (len(delays) - 1))],
    }


HISTORY_DAYS = 30
HISTORY_EVERY = 10.0  # seconds between the history plugin's samples
BACKTEST = {"plugin_id": "history", "thresholds": {"cpu_threshold": 70}, "days": HISTORY_DAYS}


def seed_history(monitor: Monitor, size: int = 5000) -> int:
    """30 days of a plugin sampled every 10 s, through the batch route."""
    start = time.time() - HISTORY_DAYS * 86_400 + 60
    count = int(HISTORY_DAYS * 86_400 / HISTORY_EVERY) - 10
    headers = {**monitor.headers, "Content-Type": "application/json"}
    with httpx.Client(base_url=monitor.url, timeout=120, headers=headers) as client:
        client.post(
            "/api/advanced-monitoring/register-plugin", json={"plugin_id": "history"}
        ).raise_for_status()
        for first in range(0, count, size):
            samples = [
                {
                    "plugin_id": "history",
                    "timestamp": start + n * HISTORY_EVERY,
                    "metrics": {"cpu_usage": 95.0 if n % 500 < 3 else 40.0 + n % 20},
                }
                for n in range(first, min(count, first + size))
            ]
            client.post(
                "/api/advanced-monitoring/update-metrics/batch", json={"samples": samples}
            ).raise_for_status()
    return count


def bench_ingest_during_backtests(monitor: Monitor, seconds: int) -> dict[str, float]:
    """wrk on update-metrics while one client runs 30-day backtests back to back."""
    stop = threading.Event()
    took: list[float] = []
    samples: list[int] = []

    def backtests() -> None:
        with httpx.Client(base_url=monitor.url, headers=monitor.headers, timeout=300) as client:
            while not stop.is_set():
                started = time.perf_counter()
                answer = client.post("/api/advanced-monitoring/thresholds/backtest", json=BACKTEST)
                answer.raise_for_status()
                took.append(time.perf_counter() - started)
                samples.append(answer.json()["samples"])

    runner = threading.Thread(target=backtests, daemon=True)
    runner.start()
    time.sleep(1.0)  # the first backtest under way
    push = wrk(
        monitor.url + "/api/advanced-monitoring/update-metrics", seconds, monitor.ingest_token
    )
    stop.set()
    runner.join(300)
    return {
        **push,
        "backtests": float(len(took)),
        "backtest_s": statistics.median(took) if took else float("nan"),
        "samples": float(max(samples, default=0)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--silences", type=int, default=100)
    parser.add_argument("--no-backtest", action="store_true")
    parser.add_argument(
        "--postgres", action="store_true", help="also update-metrics and batch on PostgreSQL"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("bench_api needs wrk: apt-get install -y wrk", file=sys.stderr)
        raise SystemExit(2)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    echo = bench_echo(args.seconds)
    monitor = Monitor()
    try:
        push = wrk(
            monitor.url + "/api/advanced-monitoring/update-metrics",
            args.seconds,
            monitor.ingest_token,
        )
        batch = bench_batch(monitor)
        columns = bench_columns(monitor)
        define_silences(monitor, args.silences)
        delay = bench_alert_delay(monitor)
        during = None
        if not args.no_backtest:
            seed_history(monitor)
            during = bench_ingest_during_backtests(monitor, args.seconds)
    finally:
        monitor.stop()
    on_postgres = bench_postgres(args.seconds) if args.postgres else None
    print(
        f"raw Starlette echo : {echo['rps']:>8,.0f} req/s  p50 {echo['p50_ms']:.2f} ms  "
        f"p99 {echo['p99_ms']:.2f} ms"
    )
    print(
        f"update-metrics     : {push['rps']:>8,.0f} req/s  p50 {push['p50_ms']:.2f} ms  "
        f"p99 {push['p99_ms']:.2f} ms  (durable; non-2xx: {push['non_2xx']:.0f})"
    )
    print(f"ratio              : {push['rps'] / echo['rps']:.2f} (goal >= 0.5)")
    print(f"batch ingest       : {batch:>8,.0f} samples/s")
    print(f"columnar ingest    : {columns:>8,.0f} samples/s (goal >= 250,000)")
    print(
        f"alert to WebSocket : p50 {delay['p50_ms']:.2f} ms  p99 {delay['p99_ms']:.2f} ms "
        f"over {delay['events']:.0f} alerts, {args.silences} silences (goal p99 <= 50 ms)"
    )
    if during is not None:
        print(
            f"during backtests   : {during['rps']:>8,.0f} req/s  p50 {during['p50_ms']:.2f} ms  "
            f"p99 {during['p99_ms']:.2f} ms (goal p99 <= 50 ms); {during['backtests']:.0f} "
            f"30-day backtests of {during['samples']:,.0f} samples, "
            f"{during['backtest_s']:.1f} s each"
        )

    if on_postgres is not None:
        pg_push, pg_batch, pg_columns = on_postgres
        print(
            f"PostgreSQL: update-metrics {pg_push['rps']:>8,.0f} req/s  p50 "
            f"{pg_push['p50_ms']:.2f} ms  p99 {pg_push['p99_ms']:.2f} ms  (non-2xx: "
            f"{pg_push['non_2xx']:.0f}; ratio to the echo {pg_push['rps'] / echo['rps']:.2f}); "
            f"batch ingest {pg_batch:>8,.0f} samples/s; columnar ingest {pg_columns:>8,.0f} "
            "samples/s"
        )


def bench_postgres(seconds: int) -> tuple[dict[str, float], float, float]:
    """update-metrics and batch ingest on a throw-away PostgreSQL server."""
    sys.path.insert(0, str(ROOT))
    from tests.postgres import PostgresServer, postgres_bin

    bin_dir = postgres_bin()
    if bin_dir is None:
        print("--postgres needs PostgreSQL's initdb (apt-get install postgresql)", file=sys.stderr)
        raise SystemExit(2)
    server = PostgresServer(bin_dir, durable=True)
    server.start()
    try:
        with server.fresh_database() as url:
            monitor = Monitor(url)
            try:
                push = wrk(
                    monitor.url + "/api/advanced-monitoring/update-metrics",
                    seconds,
                    monitor.ingest_token,
                )
                return push, bench_batch(monitor), bench_columns(monitor)
            finally:
                monitor.stop()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
