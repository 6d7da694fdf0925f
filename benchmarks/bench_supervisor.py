"""Supervisor and collector CPU with 50 supervised plugins at a 1 s interval,
next to Glances in the same run.

Run: .venv/bin/python benchmarks/bench_supervisor.py [--plugins 50] [--seconds 60]
         [--glances /tmp/glancesvenv/bin/glances]

Glances comes from PyPI (python3 -m venv /tmp/glancesvenv &&
/tmp/glancesvenv/bin/pip install glances). The monitor runs headless
(`plugin-monitor serve --no-api --interval 1`) on a fresh data folder whose
plugins each run `sleep 3600` under supervision; Glances runs
`glances --stdout cpu.total,mem.percent -t 1` beside it. Both processes' own
CPU time (user + system, children excluded) is read from /proc over the same
window, and the monitor's stored samples are counted in its database.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

CLI = Path(sys.executable).parent / "plugin-monitor"


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def lay_out(data_dir: Path, plugins: int) -> None:
    sleep = shutil.which("sleep") or "/bin/sleep"
    for index in range(plugins):
        folder = data_dir / "plugins" / f"plugin-{index:02d}"
        folder.mkdir(parents=True)
        (folder / "plugin.toml").write_text(f'[run]\ncommand = ["{sleep}", "3600"]\n')


def wait_for_plugins(data_dir: Path, plugins: int) -> None:
    deadline = time.monotonic() + 60
    while len(list((data_dir / "run").glob("*.pid"))) < plugins:
        if time.monotonic() > deadline:
            raise SystemExit("the plugins did not all start within 60 s")
        time.sleep(0.2)


def samples_stored(database: Path) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        return int(conn.execute("SELECT count(*) FROM samples").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plugins", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--glances", default="/tmp/glancesvenv/bin/glances")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-supervisor-"))
    lay_out(data_dir, args.plugins)
    env = {**os.environ, "PLUGIN_MONITOR_HOME": str(data_dir)}
    serve = subprocess.Popen(
        [str(CLI), "serve", "--no-api", "--interval", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    glances = None
    try:
        wait_for_plugins(data_dir, args.plugins)
        time.sleep(5)  # past start-up
        glances = subprocess.Popen(
            [args.glances, "--stdout", "cpu.total,mem.percent", "-t", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(5)  # Glances' own start-up
        monitor, viewer = psutil.Process(serve.pid), psutil.Process(glances.pid)
        database = data_dir / "plugin_monitoring.db"
        start = (cpu_seconds(monitor), cpu_seconds(viewer), samples_stored(database))
        began = time.monotonic()
        time.sleep(args.seconds)
        elapsed = time.monotonic() - began
        end = (cpu_seconds(monitor), cpu_seconds(viewer), samples_stored(database))
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(30)
        if glances is not None:
            glances.kill()
            glances.wait()
        shutil.rmtree(data_dir, ignore_errors=True)
    ours = 100 * (end[0] - start[0]) / elapsed
    theirs = 100 * (end[1] - start[1]) / elapsed
    rate = (end[2] - start[2]) / elapsed
    print(f"{args.plugins} supervised plugins, collection every 1 s, {elapsed:.0f} s window")
    print(f"Plugin Monitor (supervisor, collectors, writer, alerts): {ours:.1f} % of one core")
    print(f"  stored {rate:.1f} samples/s (each plugin's process tree: CPU, memory, RSS, VMS,")
    print("  threads, disk I/O, connections; the host's CPU, memory, disk, network, load, swap)")
    print(f"Glances --stdout cpu.total,mem.percent -t 1: {theirs:.1f} % of one core")
    print(f"ratio: {ours / theirs:.2f} x Glances' CPU" if theirs else "Glances used no CPU")


if __name__ == "__main__":
    main()
