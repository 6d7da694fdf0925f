"""Process metrics for plugins that name a process, with real processes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.models.plugins import PluginInfo, PluginSource, ProcessSpec
from desktop_app.services.collectors.process import ProcessCollector

SERVER = textwrap.dedent(
    """
    import socket, sys, time
    ballast = bytearray(30 * 1024 * 1024)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    client = socket.create_connection(server.getsockname())
    peer, _ = server.accept()
    print("ready", flush=True)
    end = time.time() + 0.3
    while time.time() < end:
        pass
    time.sleep(60)
    """
)


def plugin(key: str, process: ProcessSpec) -> PluginInfo:
    return PluginInfo(
        id=1,
        key=key,
        name=key,
        source=PluginSource.DIRECTORY,
        enabled=True,
        created_at=0.0,
        process=process,
    )


@pytest.fixture
def server() -> Iterator[subprocess.Popen[str]]:
    child = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    yield child
    child.kill()
    child.wait()


def test_metrics_of_a_process_watched_by_pid(server: subprocess.Popen[str]) -> None:
    collector = ProcessCollector(lambda: [plugin("srv", ProcessSpec(pid=server.pid))])
    collector.collect(1.0)
    (sample,) = collector.collect(2.0)
    assert not sample.failed
    assert sample.memory_rss is not None and sample.memory_rss > 30 * 1024 * 1024
    assert sample.memory_vms is not None and sample.memory_vms >= sample.memory_rss
    assert sample.memory_percent is not None and sample.memory_percent > 0
    assert sample.threads is not None and sample.threads >= 1
    assert sample.cpu_percent is not None and sample.cpu_percent >= 0
    assert sample.connections_active == 2, "both ends of the loopback connection"
    assert sample.connections_total == 3, "plus the listening socket"


def test_a_process_watched_by_name(tmp_path: Path) -> None:
    sleeper = tmp_path / "pm-test-sleeper"
    shutil.copy(shutil.which("sleep") or "/bin/sleep", sleeper)
    child = subprocess.Popen([str(sleeper), "60"])
    try:
        collector = ProcessCollector(lambda: [plugin("sl", ProcessSpec(name="pm-test-sleeper"))])
        (sample,) = collector.collect(1.0)
    finally:
        child.kill()
        child.wait()
    assert not sample.failed
    assert sample.memory_rss is not None and sample.memory_rss > 0
    (after,) = collector.collect(2.0)
    assert after.failed, "the process is gone"


def test_a_command_line_glob_finds_its_process_and_never_a_namesake(tmp_path: Path) -> None:
    """The example billing plugin's glob: the worker script is found; a
    process merely called billing-worker is not."""
    namesake = tmp_path / "billing-worker"
    shutil.copy(shutil.which("sleep") or "/bin/sleep", namesake)
    worker_script = tmp_path / "billing_worker.py"
    worker_script.write_text("import time\ntime.sleep(60)\n")
    other = subprocess.Popen([str(namesake), "60"])
    worker = subprocess.Popen([sys.executable, str(worker_script)])
    try:
        glob = ProcessSpec(cmdline="*billing_worker.py*")
        by_name = ProcessSpec(name="billing")
        collector = ProcessCollector(lambda: [plugin("billing", glob), plugin("b2", by_name)])
        found, partial = collector.collect(1.0)
        pids = ProcessCollector._running([plugin("billing", glob)])[1]
    finally:
        for child in (other, worker):
            child.kill()
            child.wait()
    assert not found.failed and found.memory_rss is not None and found.memory_rss > 0
    assert [pid for pid, line in pids if "billing_worker.py" in line] == [worker.pid]
    assert partial.failed, "a whole name: 'billing' is not billing-worker"


def test_a_missing_process_gives_a_failed_sample_and_disabled_plugins_are_skipped() -> None:
    missing = plugin("gone", ProcessSpec(pid=2**22 + 12345))
    disabled = PluginInfo(
        id=2,
        key="off",
        name="off",
        source=PluginSource.DIRECTORY,
        enabled=False,
        created_at=0.0,
        process=ProcessSpec(pid=1),
    )
    told: list[frozenset[str]] = []
    (sample,) = ProcessCollector(lambda: [missing, disabled], told.append).collect(1.0)
    assert (sample.plugin_key, sample.failed, sample.cpu_percent) == ("gone", True, None)
    assert told == [frozenset({"gone"})], "the collector says whose process it did not find"
