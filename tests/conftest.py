"""Shared fixtures: real data folders, a real monitor, and a guard that fails
any test in which our code logs a warning it did not expect."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.services.runtime import PluginMonitor
from tests.helpers import NO_API, EventRecorder


@pytest.fixture(autouse=True)
def _fail_on_unexpected_log_warnings(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    caplog.set_level(logging.INFO, logger="plugin_monitor")
    yield
    if request.node.get_closest_marker("expect_log_warnings"):
        return
    unexpected = [
        f"{r.name} {r.levelname}: {r.getMessage()}"
        for phase in ("setup", "call")
        for r in caplog.get_records(phase)  # type: ignore[arg-type]
        if r.levelno >= logging.WARNING and r.name.startswith("plugin_monitor")
    ]
    if unexpected:
        pytest.fail("unexpected log warnings:\n" + "\n".join(unexpected), pytrace=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def monitor(data_dir: Path) -> Iterator[PluginMonitor]:
    """A started monitor with no collectors: tests push the samples."""
    instance = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    instance.start(monitoring=False)
    yield instance
    instance.stop()


@pytest.fixture
def events(monitor: PluginMonitor) -> EventRecorder:
    recorder = EventRecorder()
    monitor.bus.subscribe(recorder)
    return recorder
