"""The console on a second monitor: `plugin-monitor serve` in its own process
on another port, reached over its API and stream with a key that the
console keeps in the secret store (the session's file keyring), never in
settings.toml."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.client import Monitor
from desktop_app.services.remote.monitor import RemoteMonitor
from desktop_app.services.secrets import SecretStore
from desktop_app.views.app import connect_only, remote_window
from desktop_app.views.empty_state import EmptyState
from desktop_app.views.main_window import MainWindow
from desktop_app.views.remote_console import RemoteWindow, key_name
from tests.cli.test_follow import CLI, free_port, serve


@dataclass
class Remote:
    url: str
    key: str
    process: subprocess.Popen[str]
    client: Monitor
    folder: Path
    ports: tuple[int, int]


@pytest.fixture
def remote(tmp_path: Path) -> Iterator[Remote]:
    folder = tmp_path / "remote"
    key = subprocess.run(
        [str(CLI), "keys", "create", "--role", "admin", "--data-dir", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ports = free_port(), free_port()
    process = serve(folder, *ports)
    url = f"http://127.0.0.1:{ports[0]}"
    client = Monitor(url, key)
    client.register("billing", "Billing")
    client.push("billing", cpu_usage=20.0, memory_usage=30.0)
    started = Remote(url, key, process, client, folder, ports)
    yield started
    client.close()
    started.process.terminate()
    started.process.wait(10)


@pytest.fixture
def local_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "console"
    (folder / "config").mkdir(parents=True)
    (folder / "config" / "settings.toml").write_text(
        '[api]\nenabled = false\n[console]\nlanguage = "en"\n', encoding="utf-8"
    )
    return folder


def _open(qtbot: QtBot, local_dir: Path, remote: Remote, key: str | None) -> dict[str, Any]:
    state: dict[str, Any] = {"remotes": []}
    connect_only(QApplication.instance(), local_dir, remote.url, key, state)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: "window" in state or "error" in state, timeout=15_000)
    assert "error" not in state, state["error"]
    qtbot.addWidget(state["window"])
    return state


def _close(state: dict[str, Any]) -> None:
    window: MainWindow = state["window"]
    window.bridge.disconnect_monitor()
    window.quitting = True
    for monitor in state["remotes"]:
        monitor.stop(5)


def test_the_console_shows_a_second_monitors_plugins_live_charts_and_alerts(
    qtbot: QtBot, local_dir: Path, remote: Remote
) -> None:
    store = SecretStore(local_dir)
    store.set(key_name(remote.url), remote.key)  # kept there by an earlier connection
    state = _open(qtbot, local_dir, remote, None)
    window: MainWindow = state["window"]
    try:
        port = remote.url.rsplit(":", 1)[1]
        assert f"127.0.0.1:{port}" in window.windowTitle()
        qtbot.waitUntil(lambda: "billing" in window.dashboard.cards, timeout=10_000)
        # Collection runs there: the dashboard's button says so, and cannot be used from here.
        toggle = window.dashboard.toggle
        qtbot.waitUntil(toggle.isChecked, timeout=10_000)
        assert not toggle.isEnabled()
        assert window.plugins.model.knows("billing")
        # Live: a push to the remote monitor reaches the plugin's card over the stream.
        card = window.dashboard.cards["billing"]
        for value in (97.0, 98.0, 99.0):
            remote.client.push("billing", cpu_usage=value, memory_usage=40.0)
        qtbot.waitUntil(lambda: 99.0 in card.sparkline._values, timeout=10_000)
        # Its alert: in the table, the counts and the title, from the remote's engine.
        qtbot.waitUntil(
            lambda: any(a.plugin_key == "billing" for a in window.alerts.model.alerts),
            timeout=10_000,
        )
        qtbot.waitUntil(lambda: "critical" in window.windowTitle(), timeout=10_000)
        alert = next(a for a in window.alerts.model.alerts if a.plugin_key == "billing")
        assert alert.rule == "cpu"
        # An operator's action goes to the remote monitor and comes back as its state.
        window.alerts.alert_actions.acknowledge([alert.id], "looking")
        qtbot.waitUntil(
            lambda: remote.client.alerts(plugin="billing")[0]["status"] == "acknowledged",
            timeout=10_000,
        )
        # The selected plugin's chart reads the remote's history.
        page = window.plugins
        row = next(r for r in range(page.model.rowCount()) if page.model.key_at(r) == "billing")
        page.table.selectRow(page.proxy.mapFromSource(page.model.index(row, 0)).row())
        chart = page.detail_charts["cpu_percent"]
        qtbot.waitUntil(lambda: 99.0 in chart._values, timeout=10_000)
        # The pages of the embedded monitor's own files say what to run on its machine.
        titles = [window.nav.item(i).text() for i in range(window.nav.count())]
        for title in ("Settings", "API keys", "Audit"):
            notice = window.pages.widget(titles.index(title)).findChild(EmptyState)
            assert notice is not None and "127.0.0.1" in notice.title.text()
    finally:
        _close(state)
    settings = (local_dir / "config" / "settings.toml").read_text(encoding="utf-8")
    assert remote.key not in settings


def test_connecting_keeps_the_key_in_the_secret_store_not_in_settings(
    qtbot: QtBot, qapp: QApplication, local_dir: Path, remote: Remote
) -> None:
    """File, Connect to monitor…: a window beside the embedded one; its key
    is remembered once the monitor has taken it."""
    from desktop_app.views.remote_console import connect_in_background

    store = SecretStore(local_dir)
    opened: list[RemoteMonitor] = []
    connect_in_background(
        qapp,
        store,
        remote.url,
        remote.key,
        remember=True,
        connected=opened.append,
        failed=pytest.fail,
    )
    qtbot.waitUntil(lambda: bool(opened), timeout=15_000)
    state: dict[str, Any] = {"remotes": []}
    window = remote_window(qapp, local_dir, opened[0], state, beside=True)
    assert isinstance(window, RemoteWindow)
    assert store.get(key_name(remote.url)) == remote.key
    for path in (local_dir / "config").iterdir():
        assert remote.key not in path.read_text(encoding="utf-8", errors="replace")
    window.close()  # disconnects from that monitor, and the window goes
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=10_000)
    qtbot.waitUntil(lambda: not opened[0].stream._thread.is_alive(), timeout=10_000)


def test_a_wrong_key_is_refused_in_the_monitors_words(
    qtbot: QtBot, local_dir: Path, remote: Remote
) -> None:
    from desktop_app.services.remote.api import RemoteError

    with pytest.raises(RemoteError, match="refused the key"):
        RemoteMonitor.connect(remote.url, "pm_wrong_key")
    with pytest.raises(RemoteError, match="no monitor answers"):
        RemoteMonitor.connect(f"http://127.0.0.1:{free_port()}", remote.key)


@pytest.mark.expect_log_warnings
def test_a_lost_connection_is_shown_and_mended(
    qtbot: QtBot, local_dir: Path, remote: Remote
) -> None:
    """The remote monitor stops: the status bar says so in red; it starts
    again: the console reconnects by itself, and an alert raised after that
    reaches it."""
    state = _open(qtbot, local_dir, remote, remote.key)
    window: MainWindow = state["window"]
    status = window.status.monitoring
    try:
        qtbot.waitUntil(lambda: "Connected to" in status.text(), timeout=10_000)
        remote.process.terminate()
        remote.process.wait(10)
        qtbot.waitUntil(lambda: "Not connected" in status.text(), timeout=15_000)
        assert "c81d25" in status.styleSheet()
        remote.process = serve(remote.folder, *remote.ports)
        qtbot.waitUntil(lambda: "Connected to" in status.text(), timeout=40_000)
        remote.client.push("billing", cpu_usage=99.0)
        qtbot.waitUntil(
            lambda: any(a.plugin_key == "billing" for a in window.alerts.model.alerts),
            timeout=10_000,
        )
    finally:
        _close(state)
