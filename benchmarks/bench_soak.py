"""A long soak: does the monitor stay flat in memory, threads, files and
latency while it works for an hour?

Run: .venv/bin/python benchmarks/bench_soak.py [--target console|serve] [--minutes 60] [--xvfb]

The target runs in a process of its own, started by a small driver (below)
that adds what the product does not: tracemalloc (the Python heap), a report
every 30 s (the heap before and after a full collection: the live heap is
what the goal is about), tracemalloc snapshots and object counts by type at
minute 10 and at the end, and for the console a page change every minute
(dashboard first).

This process first stores an hour of history (`--history`), so that the
reads cost as much at the start as at the end. Then it:
- pushes 1,000 samples/s across 20 plugins (a batch of 100 every 0.1 s), one
  plugin crossing its critical line for 5 s every minute (raised, resolved);
- keeps 50 WebSocket clients connected, and connects and closes 10 a second;
- reads a plugin's analytics and the open alerts every 5 s, as a viewer.
Every 30 s it records RSS and anonymous memory (/proc), threads, open files,
the driver's heap and object count, glibc's heap in use and freed but kept
(mallinfo2), SQLite's own memory (sqlite3_status64: page caches, statements),
and the ingest p99 of that interval, into a CSV and a PNG plot beside it, and
prints the verdict against the goals: RSS grows < 5 % and the heap < 2 % from
minute 10 to the end, threads and open files flat, the p99 of every push in
the last 10 minutes within 20 % of the first 10's, no error. (With --minutes
under 20, minute 10 becomes a sixth of the run.)
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import websockets
from bench_api import CLI, free_port, wait_up

REPORT_SECONDS = 30
SLOW_SECONDS = 0.1
PLUGINS = [f"soak{i}" for i in range(20)]
DRIVER = textwrap.dedent(
    """
    import gc, json, os, sys, threading, time, tracemalloc
    from collections import Counter
    from pathlib import Path
    tracemalloc.start(1)
    target, data_dir, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    snap_at = float(sys.argv[4])
    started = time.monotonic()

    import ctypes
    from desktop_app.memory import heap_figures
    sqlite = ctypes.CDLL("libsqlite3.so.0")  # the one the sqlite3 module loaded

    def c_memory():
        # glibc's heap (every arena): in use, and freed but kept; SQLite's own use
        (in_use, kept), used, high = heap_figures(), ctypes.c_int64(), ctypes.c_int64()
        sqlite.sqlite3_status64(0, ctypes.byref(used), ctypes.byref(high), 0)  # MEMORY_USED
        return {"malloc_used": in_use, "malloc_free": kept, "sqlite": used.value}

    def objects_by_type():
        return Counter(type(o).__name__ for o in gc.get_objects()).most_common(25)

    def report():
        heap = tracemalloc.get_traced_memory()[0]
        gc.collect()  # what is live: cyclic garbage waits for a full collection otherwise
        line = {"t": time.monotonic() - started, "heap": heap,
                "live_heap": tracemalloc.get_traced_memory()[0],
                "objects": len(gc.get_objects()), "python_threads": threading.active_count(),
                **c_memory()}
        with open(out / "driver.jsonl", "a") as f:
            f.write(json.dumps(line) + "\\n")

    def snapshot(name):
        tracemalloc.take_snapshot().dump(str(out / f"{name}.snapshot"))
        (out / f"{name}.types.json").write_text(json.dumps(objects_by_type()))

    def reporter():
        taken = False
        while True:
            time.sleep(30)
            report()
            if not taken and time.monotonic() - started >= snap_at:
                snapshot("early"); taken = True
            if (out / "finish").exists():
                snapshot("late"); (out / "finished").write_text("1"); return

    threading.Thread(target=reporter, daemon=True, name="soak-reporter").start()
    if target == "serve":
        from desktop_app.cli import main
        sys.exit(main(["serve", "--data-dir", str(data_dir)]))
    from desktop_app.memory import limit_malloc_arenas
    limit_malloc_arenas()  # as plugin-monitor does first
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from desktop_app.views.app import build_window, quit_on_signals
    app = QApplication(sys.argv[:1])
    window, bridge, state = build_window(app, data_dir)
    window.show()
    quit_on_signals(app, window.quit)
    shown = [0]
    def next_page():
        shown[0] = (shown[0] + 1) % window.pages.count()
        window.show_page(window.pages.widget(shown[0]))
    pages = QTimer(app); pages.timeout.connect(next_page); pages.start(60_000)
    app.exec()
    bridge.disconnect_monitor()
    state["monitor"].stop(10)
    """
)


@dataclass
class Load:
    """What the load threads count, read and reset by the sampler."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    samples: int = 0
    ws_messages: int = 0
    ws_connects: int = 0
    slow_by_second: Counter[int] = field(default_factory=Counter)
    # Every push as (minute of the run, seconds): the goal's p99s pool whole windows.
    timeline: list[tuple[float, float]] = field(default_factory=list)
    began: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def took(self, seconds: float, ok: bool, what: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.timeline.append(((time.monotonic() - self.began) / 60, seconds))
            if seconds > SLOW_SECONDS:  # where in the minute: a minutely job shows as a peak
                self.slow_by_second[int(time.time() % 60)] += 1
            if not ok:
                self.errors.append(what)

    def interval_p99(self) -> float:
        with self.lock:
            taken, self.latencies = self.latencies, []
        return _p99_ms(taken)

    def window_p99(self, first: float, last: float) -> float:
        """The p99 of every push from minute `first` to `last`. A half-minute's
        p99 is its third-slowest push, so it jumps between 40 and 150 ms as a
        viewer's read happens to delay two pushes or four; a window's is steady."""
        with self.lock:
            return _p99_ms([seconds for minute, seconds in self.timeline if first < minute <= last])


def _p99_ms(latencies: list[float]) -> float:
    if len(latencies) <= 100:
        return math.nan
    return statistics.quantiles(latencies, n=100)[98] * 1000


def start_target(
    target: str, folder: Path, snap_at: float, xvfb: bool
) -> tuple[subprocess.Popen[bytes], str, str]:
    data = folder / "data"
    (data / "config").mkdir(parents=True)
    port, ws_port = free_port(), free_port()
    (data / "config" / "settings.toml").write_text(
        f"[api]\nport = {port}\nws_port = {ws_port}\nmax_connections_per_client = 500\n"
        # One admin key opens the 600 WebSocket connections a minute: not abuse here.
        "[security]\ningest_rate_limit_per_minute = 100000000\n"
        "rate_limit_per_minute = 1000000\nrate_alert_per_minute = 1000000\n"
        '[console]\nlanguage = "en"\n',
        encoding="utf-8",
    )
    driver = folder / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    command = [sys.executable, str(driver), target, str(data), str(folder), str(snap_at)]
    env = {**os.environ}
    if target == "console" and not xvfb:
        env["QT_QPA_PLATFORM"] = "offscreen"
    if xvfb:
        command = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", *command]
    with (folder / "target.err").open("wb") as errors:  # the child keeps its own copy
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    url = f"http://127.0.0.1:{port}"
    wait_up(url + "/api/system/health", process)
    return process, url, f"ws://127.0.0.1:{ws_port}/"


def key(data: Path, *options: str) -> str:
    made = subprocess.run(
        [str(CLI), "keys", "create", *options, "--data-dir", str(data)],
        capture_output=True,
        text=True,
        check=True,
    )
    return made.stdout.strip()


def push(url: str, token: str, load: Load, stop: threading.Event) -> None:
    """1,000 samples/s; plugin k crosses its critical CPU line for 5 s in minute k (mod 20)."""
    with httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        tick = time.time()
        while not stop.is_set():
            spiking = PLUGINS[int(tick // 60) % len(PLUGINS)] if tick % 60 < 5 else None
            batch = [
                {
                    "plugin_id": PLUGINS[i % 20],
                    "timestamp": tick + i / 1e4,
                    "metrics": {
                        "cpu_usage": 97.0 if PLUGINS[i % 20] == spiking else 40 + (i % 7),
                        "memory_usage": 50.0,
                        "response_time": 0.2,
                        "error_count": 0,
                        "request_count": 10,
                    },
                }
                for i in range(100)
            ]
            began = time.perf_counter()
            try:
                answer = client.post(
                    "/api/advanced-monitoring/update-metrics/batch", json={"samples": batch}
                )
                load.took(
                    time.perf_counter() - began,
                    answer.status_code == 200,
                    f"push {answer.status_code}",
                )
            except httpx.HTTPError as error:
                load.took(time.perf_counter() - began, False, f"push {error!r}")
            load.samples += 100
            tick += 0.1
            time.sleep(max(0.0, tick - time.time()))


def read(url: str, token: str, load: Load, stop: threading.Event) -> None:
    with httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        while not stop.wait(5):
            for path in (
                f"/api/advanced-monitoring/analytics/{PLUGINS[0]}?hours=1",
                "/api/advanced-monitoring/alerts",
            ):
                answer = client.get(path)
                if answer.status_code != 200:
                    with load.lock:
                        load.errors.append(f"read {path} {answer.status_code}")


async def websocket_load(ws_url: str, token: str, load: Load, stop: threading.Event) -> None:
    headers = {"Authorization": f"Bearer {token}"}

    async def stay() -> None:
        async with websockets.connect(ws_url, additional_headers=headers) as socket:
            while not stop.is_set():
                try:
                    await asyncio.wait_for(socket.recv(), 1)
                    load.ws_messages += 1
                except TimeoutError:
                    pass

    async def come_and_go() -> None:
        while not stop.is_set():
            began = time.monotonic()
            for _ in range(10):
                try:
                    async with websockets.connect(ws_url, additional_headers=headers) as socket:
                        await asyncio.wait_for(socket.recv(), 5)
                        load.ws_connects += 1
                except Exception as error:
                    with load.lock:
                        load.errors.append(f"ws {error!r}")
            await asyncio.sleep(max(0.0, 1 - (time.monotonic() - began)))

    try:
        await asyncio.gather(*(stay() for _ in range(50)), come_and_go())
    except Exception as error:  # a client that cannot stay is an error of the run
        with load.lock:
            load.errors.append(f"ws {error!r}")


def process_figures(pid: int) -> dict[str, float]:
    """The target's own process (the python under xvfb-run's wrapper)."""
    status = Path(f"/proc/{pid}/status").read_text()
    figures = {line.split(":")[0]: line.split(":")[1].split() for line in status.splitlines()}
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    anonymous = next(
        int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Anonymous:")
    )
    return {
        "rss_mib": int(figures["VmRSS"][0]) / 1024,
        "anon_mib": anonymous / 1024,
        "threads": int(figures["Threads"][0]),
        "open_files": len(os.listdir(f"/proc/{pid}/fd")),
    }


def target_pid(process: subprocess.Popen[bytes]) -> int:
    """The driver's pid: the process itself, or under xvfb-run its python child."""
    import psutil

    for child in [
        psutil.Process(process.pid),
        *psutil.Process(process.pid).children(recursive=True),
    ]:
        if "driver.py" in " ".join(child.cmdline()):
            return child.pid
    raise RuntimeError("the driver process is gone")


def last_driver_line(folder: Path) -> dict[str, float]:
    lines = (
        (folder / "driver.jsonl").read_text().splitlines()
        if (folder / "driver.jsonl").exists()
        else []
    )
    return json.loads(lines[-1]) if lines else {}


def plot(rows: list[dict[str, float]], png: Path) -> None:
    """Four panels over minutes: memory, the C heap, threads and files, ingest p99."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    import pyqtgraph.exporters
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    pg.setConfigOptions(background="w", foreground="k", antialias=True)
    view = pg.GraphicsLayoutWidget()
    view.resize(1200, 1100)
    view.show()  # laid out at its size: unshown, the panels take a corner of the image
    minutes = [row["minute"] for row in rows]
    panels = [
        ("memory (MiB)", ["rss_mib", "anon_mib", "live_heap_mib"]),
        ("C heap (MiB)", ["malloc_used_mib", "malloc_free_mib", "sqlite_mib"]),
        ("threads and open files", ["threads", "open_files"]),
        ("ingest p99 (ms)", ["ingest_p99_ms"]),
    ]
    colours = ["#1f77b4", "#d62728", "#2ca02c"]
    for title, columns in panels:
        chart = view.addPlot(title=title)
        chart.addLegend(offset=(-10, 10))  # top right, off the early minutes
        chart.setLabel("bottom", "minutes")
        for colour, column in zip(colours, columns, strict=False):
            chart.plot(
                minutes, [row[column] for row in rows], pen=pg.mkPen(colour, width=2), name=column
            )
        view.nextRow()
    app.processEvents()
    pyqtgraph.exporters.ImageExporter(view.scene()).export(str(png))


def baseline(rows: list[dict[str, float]], early: float) -> dict[str, float]:
    """The first row after the early snapshot: taking and writing it costs the
    target 25 to 50 MiB once (seen at minute 10 of both hour-long soaks), which
    would otherwise hide as much growth."""
    return next((row for row in rows if row["minute"] > early + 0.1), rows[-1])


def figures(rows: list[dict[str, float]], early: float, load: Load) -> dict[str, float]:
    """The goals' figures: growth in % from the baseline row to the end, the
    spread of threads and open files since then, the ingest p99 of every push
    in the first and in the last `early` minutes (10 of an hour)."""
    first, last, span = baseline(rows, early), rows[-1], rows[-1]["minute"]
    settled = [row for row in rows if row["minute"] >= first["minute"]]
    found = {
        f"{column}_growth": 100 * (last[column] - first[column]) / first[column]
        for column in ("rss_mib", "anon_mib", "live_heap_mib", "heap_mib")
    }
    for column in ("threads", "open_files"):
        found[f"{column}_spread"] = max(r[column] for r in settled) - min(
            r[column] for r in settled
        )
    found["p99_first"] = load.window_p99(0, early)
    found["p99_last"] = load.window_p99(span - early, span)
    return found


def verdict(rows: list[dict[str, float]], load: Load, early: float) -> list[str]:
    first, last, found = baseline(rows, early), rows[-1], figures(rows, early, load)

    def growth(column: str, goal: str) -> str:
        change = found[f"{column}_growth"]
        return f"{column} {first[column]:.1f} to {last[column]:.1f} ({change:+.1f} %{goal})"

    return [
        growth("rss_mib", "; goal < 5 %"),
        growth("anon_mib", ""),
        growth("live_heap_mib", "; goal < 2 %"),
        growth("heap_mib", ", before a full collection"),
        f"threads spread {found['threads_spread']:.0f}, open files spread "
        f"{found['open_files_spread']:.0f} from minute {first['minute']:g} (goal: flat)",
        f"ingest p99: first {early:g} minutes {found['p99_first']:.1f} ms, last {early:g} "
        f"{found['p99_last']:.1f} ms ({100 * (found['p99_last'] / found['p99_first'] - 1):+.0f} %; "
        "goal within 20 %)",
        f"errors: {len(load.errors)}",
    ]


def snapshot_differences(folder: Path, top: int = 15) -> list[str]:
    import tracemalloc

    early, late = folder / "early.snapshot", folder / "late.snapshot"
    if not (early.exists() and late.exists()):
        return ["(no tracemalloc snapshots)"]
    stats = tracemalloc.Snapshot.load(str(late)).compare_to(
        tracemalloc.Snapshot.load(str(early)), "lineno"
    )
    types_early = dict(json.loads((folder / "early.types.json").read_text()))
    types_late = dict(json.loads((folder / "late.types.json").read_text()))
    grown = sorted(((types_late[t] - types_early.get(t, 0), t) for t in types_late), reverse=True)[
        :10
    ]
    return [str(stat) for stat in stats[:top]] + [
        f"objects {name}: {delta:+d}" for delta, name in grown
    ]


def early_minute(minutes: float) -> float:
    """Minute 10 of an hour; a sixth of a short run."""
    return 10.0 if minutes >= 20 else minutes / 6


def seed_history(client: httpx.Client, minutes: float) -> None:
    """`minutes` of history at the load's rate (50 samples/s a plugin), so the
    viewer's hour of analytics reads as much at the start as at the end: with
    an empty database that read grows all hour, and so does what it costs."""
    now, block = time.time(), 10_000  # 0.6 MB a body, under the API's limit
    for plugin in PLUGINS:
        times = [now - minutes * 60 + i / 50 for i in range(int(minutes * 60 * 50))]
        for start in range(0, len(times), block):
            part = times[start : start + block]
            body = {
                "plugin_id": plugin,
                "timestamps": part,
                "metrics": {
                    "cpu_usage": [40.0 + i % 7 for i in range(len(part))],
                    "memory_usage": [50.0] * len(part),
                    "response_time": [0.2] * len(part),
                    "error_count": [0] * len(part),
                    "request_count": [10] * len(part),
                },
                "backfill": True,
            }
            while (
                answer := client.post("/api/advanced-monitoring/update-metrics/columns", json=body)
            ).status_code == 503:  # the alert engine is behind with the history: as asked
                time.sleep(float(answer.headers["retry-after"]))
            answer.raise_for_status()


def soak(
    target: str, minutes: float, folder: Path, *, xvfb: bool = False, history: float = 60.0
) -> tuple[list[dict[str, float]], Load]:
    """Run the target under the load for `minutes`, after `history` minutes
    of samples; its rows every 30 s. The target is stopped however the run
    ends (a refused seed, an interrupt)."""
    folder.mkdir(parents=True, exist_ok=True)
    process, url, ws_url = start_target(target, folder, early_minute(minutes) * 60, xvfb)
    try:
        rows, load = _under_load(
            process, url, ws_url, minutes=minutes, folder=folder, history=history
        )
    finally:
        process.terminate()
        process.wait(60)
    with (folder / "soak.csv").open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    plot(rows, folder / "soak.png")
    return rows, load


def _under_load(
    process: subprocess.Popen[bytes],
    url: str,
    ws_url: str,
    *,
    minutes: float,
    folder: Path,
    history: float,
) -> tuple[list[dict[str, float]], Load]:
    token = key(folder / "data", "--role", "admin")
    ingest = key(folder / "data", "--ingest")
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as client:
        for plugin in PLUGINS:
            client.post(
                "/api/advanced-monitoring/register-plugin", json={"plugin_id": plugin}
            ).raise_for_status()
        client.timeout = httpx.Timeout(120)
        seed_history(client, history)
    load, stop = Load(), threading.Event()
    threads = [
        threading.Thread(target=push, args=(url, ingest, load, stop)),
        threading.Thread(target=read, args=(url, token, load, stop)),
        threading.Thread(target=lambda: asyncio.run(websocket_load(ws_url, token, load, stop))),
    ]
    for thread in threads:
        thread.start()
    pid, rows, began = target_pid(process), [], load.began
    try:
        while time.monotonic() - began < minutes * 60:
            time.sleep(REPORT_SECONDS - (time.monotonic() - began) % REPORT_SECONDS)
            driver = last_driver_line(folder)
            row = {
                "minute": round((time.monotonic() - began) / 60, 2),
                **process_figures(pid),
                "heap_mib": driver.get("heap", math.nan) / 2**20,
                "live_heap_mib": driver.get("live_heap", math.nan) / 2**20,
                "objects": driver.get("objects", math.nan),
                **{
                    f"{name}_mib": driver.get(name, math.nan) / 2**20
                    for name in ("malloc_used", "malloc_free", "sqlite")
                },
                "ingest_p99_ms": load.interval_p99(),
                "errors": len(load.errors),
                "ws_connects": load.ws_connects,
            }
            rows.append(row)
            print(
                " ".join(
                    f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()
                ),
                flush=True,
            )
    finally:
        (folder / "finish").write_text("1")  # the late snapshot, under the load still
        deadline = time.monotonic() + 90
        while (
            not (folder / "finished").exists()
            and time.monotonic() < deadline
            and process.poll() is None
        ):
            time.sleep(1)
        stop.set()
        for thread in threads:
            thread.join(60)
    return rows, load


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=("console", "serve"), default="console")
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument(
        "--xvfb", action="store_true", help="the console under xvfb-run, not offscreen"
    )
    parser.add_argument("--out", type=Path, help="folder for the CSV, the PNG and the snapshots")
    parser.add_argument(
        "--history", type=float, default=60.0, help="minutes of samples stored before the load"
    )
    args = parser.parse_args()
    # Stopped by a signal, the run still stops its target (through soak()'s finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    folder = args.out or Path(tempfile.mkdtemp(prefix=f"soak-{args.target}-"))
    rows, load = soak(args.target, args.minutes, folder, xvfb=args.xvfb, history=args.history)
    print(
        f"\n{args.target}, {args.minutes:g} minutes, {load.samples:,} samples pushed, "
        f"{load.ws_connects:,} WebSocket clients came and went; {folder}"
    )
    for line in verdict(rows, load, early_minute(args.minutes)):
        print(line)
    if load.errors:
        print("first errors:", load.errors[:5])
    print(
        f"pushes slower than {SLOW_SECONDS * 1000:.0f} ms, by second of the minute:",
        sorted(load.slow_by_second.items()),
    )
    print("\ngrowth between the snapshots (tracemalloc, by line; objects by type):")
    for line in snapshot_differences(folder):
        print(" ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
