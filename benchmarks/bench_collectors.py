"""Collector CPU cost per sample with 50 watched processes.

Run: .venv/bin/python benchmarks/bench_collectors.py [--processes 50] [--cycles 20]

Starts N real processes, watches each as a plugin (by pid), and measures the
CPU time this process spends per collection cycle and per sample. Also times
connection counting done per process against the single system-wide call the
collector uses.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from desktop_app.models.plugins import PluginInfo, PluginSource, ProcessSpec
from desktop_app.services.collectors.process import ProcessCollector
from desktop_app.services.collectors.system import SystemCollector


def cpu_per_cycle(collect: Callable[[float], object], cycles: int) -> tuple[float, float]:
    """(CPU ms, wall ms) per call of collect(now), averaged."""
    collect(time.time())
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(cycles):
        collect(time.time())
    cpu = (time.process_time() - cpu0) / cycles * 1000
    wall = (time.perf_counter() - wall0) / cycles * 1000
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=50)
    parser.add_argument("--cycles", type=int, default=20)
    args = parser.parse_args()
    sleep = shutil.which("sleep") or "/bin/sleep"
    children = [subprocess.Popen([sleep, "600"]) for _ in range(args.processes)]
    try:
        plugins = [
            PluginInfo(
                id=i,
                key=f"p{i}",
                name=f"p{i}",
                source=PluginSource.DIRECTORY,
                enabled=True,
                created_at=0.0,
                process=ProcessSpec(pid=child.pid),
            )
            for i, child in enumerate(children)
        ]
        processes = ProcessCollector(lambda: plugins)
        cpu, wall = cpu_per_cycle(processes.collect, args.cycles)
        print(
            f"process collector: {args.processes} processes, {cpu:.1f} ms CPU and {wall:.1f} ms "
            f"wall per cycle = {cpu / args.processes * 1000:.0f} µs CPU per sample"
        )
        with tempfile.TemporaryDirectory() as tmp:
            system = SystemCollector(Path(tmp))
            cpu, wall = cpu_per_cycle(system.collect, args.cycles)
        print(f"system collector : {cpu:.2f} ms CPU, {wall:.2f} ms wall per sample")

        started = time.perf_counter()
        for child in children:
            psutil.Process(child.pid).net_connections(kind="inet")
        per_process = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        psutil.net_connections(kind="inet")
        system_wide = (time.perf_counter() - started) * 1000
        print(
            f"connections      : per process {per_process:.1f} ms for {args.processes}, "
            f"one system-wide call {system_wide:.1f} ms"
        )
    finally:
        for child in children:
            child.kill()
            child.wait()


if __name__ == "__main__":
    main()
