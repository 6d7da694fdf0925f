"""Helpers the tests share: pushing samples and recording alert events."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from desktop_app.models.alerts import AlertEvent
from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.services.runtime import PluginMonitor

_clock = itertools.count(1)


def push(monitor: PluginMonitor, plugin: str = "app", **fields: Any) -> None:
    """Store one sample and wait until the alert engine has evaluated it."""
    if monitor.registry.get(plugin) is None:
        monitor.registry.register(plugin, plugin, PluginSource.API)
    sample = Sample(plugin_key=plugin, ts=1_700_000_000.0 + next(_clock), **fields)
    monitor.ingest([sample]).result(10)
    monitor.engine.flush().result(10)


class EventRecorder:
    def __init__(self) -> None:
        self.events: list[AlertEvent] = []

    def __call__(self, event: AlertEvent) -> None:
        self.events.append(event)

    def kinds(self) -> list[tuple[str, str, str]]:
        return [(e.kind.value, e.alert.rule, e.alert.level.label) for e in self.events]


NO_API = {"enabled": False}


def stored_rows(monitor: PluginMonitor, query: str, **params: Any) -> list[tuple[Any, ...]]:
    """A query on the monitor's own database, SQLite or PostgreSQL (with
    --postgres), to assert what is stored; `:name` parameters."""
    with monitor.database.connect() as conn:
        return [tuple(row) for row in conn.execute(text(query), params)]


def require_tools(*names: str) -> None:
    """Skip a test whose tools are missing on a developer machine; in CI
    (`PLUGIN_MONITOR_CI=1`, where .ci/run installs them) fail it instead."""
    missing = [name for name in names if shutil.which(name) is None]
    if not missing:
        return
    message = f"needs {', '.join(missing)} (.ci/run installs it)"
    if os.environ.get("PLUGIN_MONITOR_CI") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def wait_until(condition: Callable[[], object], seconds: float = 10.0, what: str = "") -> None:
    """Poll `condition` until it is true; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {seconds:g} s: {what or condition}", pytrace=False)
        time.sleep(0.05)


def log_says(log: Path, text: str) -> Callable[[], bool]:
    """For `wait_until`: the log file exists and holds `text`."""
    return lambda: log.exists() and text in log.read_text(encoding="utf-8")


@contextlib.contextmanager
def quits_cleanly(
    command: list[str], env: dict[str, str], cwd: Path | None = None
) -> Iterator[subprocess.Popen[str]]:
    """A program (the console) in a process of its own, still running when the
    block ends; SIGTERM must then end it with exit code 0."""
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        yield process
        assert process.poll() is None, process.communicate()[1]
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0, process.communicate()[1]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@contextlib.contextmanager
def small_disk(path: Path, size_kb: int) -> Iterator[Path]:
    """A real filesystem of `size_kb` at `path`: a tmpfs, mounted where the
    tests run as root (CI does). Elsewhere the test skips, and fails in CI."""
    if os.geteuid() != 0:
        reason = "needs root to mount a small tmpfs (CI runs as root)"
        if os.environ.get("PLUGIN_MONITOR_CI") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    path.mkdir(exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)], check=True
    )
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def samples_leaf_pages(database: Path) -> tuple[list[int], int]:
    """The samples table's leaf pages (by number) and the page size: where
    a test writes 0xFF to damage stored samples as a bad sector would."""
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = [
            row[0]
            for row in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'samples' AND pagetype = 'leaf' "
                "ORDER BY pageno"
            )
        ]
        return pages, int(conn.execute("PRAGMA page_size").fetchone()[0])
