"""Shared fixtures: real data folders, a real monitor, and two guards (as
napari's and qutebrowser's): a test fails if it leaves a thread running, or
if anything logs a warning it did not expect."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.paths import ENV_DATABASE_URL
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import NO_API, EventRecorder
from tests.postgres import PostgresServer, start_or_skip

# Threads end within this after their owner's stop() returns; longer is a leak.
THREAD_GRACE_SECONDS = 5.0

# Warnings of other libraries that tests may provoke by design, as (logger,
# message start). Empty: no library warns during the suite today, and a new
# warning from anywhere fails the test that caused it until it is understood.
ALLOWED_WARNINGS: tuple[tuple[str, str], ...] = ()

KEYRING_BACKEND = "keyrings.alt.file.PlaintextKeyring"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        action="store_true",
        help="keep every monitor's history in a throw-away PostgreSQL server (a fresh database "
        "for each test and module) instead of SQLite; tests marked sqlite_only are left out",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--postgres"):
        return
    left_out = [item for item in items if item.get_closest_marker("sqlite_only")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("sqlite_only")]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session (skips without one, fails in CI)."""
    server = start_or_skip()
    yield server
    server.stop()


def _on_postgres(request: pytest.FixtureRequest) -> Iterator[None]:
    if not request.config.getoption("--postgres"):
        yield
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with server.fresh_database() as url, pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_DATABASE_URL, url)
        yield


# With --postgres, module fixtures' monitors and each test's get a database of their own.
_module_on_postgres = pytest.fixture(autouse=True, scope="module")(_on_postgres)
_test_on_postgres = pytest.fixture(autouse=True)(_on_postgres)


@pytest.fixture(autouse=True)
def _fail_on_leaked_threads() -> Iterator[None]:
    """Autouse, so set up before and torn down after every other fixture:
    whatever a test and its fixtures started must have ended by then."""
    before = set(threading.enumerate())
    yield
    leaked = threads_left_running(before, THREAD_GRACE_SECONDS)
    if leaked:
        names = ", ".join(sorted(t.name for t in leaked))
        pytest.fail(f"the test left threads running: {names}", pytrace=False)


def threads_left_running(before: set[threading.Thread], grace: float) -> list[threading.Thread]:
    """Threads started since `before` that are still alive after `grace` seconds
    (Qt's own threads that called into Python are not ours to join)."""
    deadline = time.monotonic() + grace
    while True:
        leaked = [
            t
            for t in threading.enumerate()
            if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)
        ]
        if not leaked or time.monotonic() > deadline:
            return leaked
        time.sleep(0.02)


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
        if r.levelno >= logging.WARNING and not _allowed(r)
    ]
    if unexpected:
        pytest.fail("unexpected log warnings:\n" + "\n".join(unexpected), pytrace=False)


def _allowed(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    return any(
        record.name == name and message.startswith(start) for name, start in ALLOWED_WARNINGS
    )


@pytest.fixture(autouse=True, scope="session")
def _file_keyring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A real keyring backend (keyrings.alt's file) kept in the session's
    temporary folder, for every test, module fixture and process they start:
    no test reads or writes the real home's keyring. (Entries are per data
    folder, so tests do not see each other's.) The XDG config folder too:
    no test writes an autostart entry into the real home."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHON_KEYRING_BACKEND", KEYRING_BACKEND)
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
        yield


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
