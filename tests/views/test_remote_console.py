"""The console on a second monitor: `plugin-monitor serve` in its own process
on another port, reached over its API and stream with a key that the
console keeps in the secret store (the session's file keyring), never in
settings.toml."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.client import Monitor
from desktop_app.services.remote.monitor import RemoteMonitor
from desktop_app.services.secrets import SecretStore
from desktop_app.views.app import connect_only, remote_window
from desktop_app.views.empty_state import EmptyState
from desktop_app.views.main_window import MainWindow
from desktop_app.views.remote_console import RemoteWindow, key_name
from tests.cli.test_follow import CLI, free_port, serve
from tests.helpers import log_says, quits_cleanly, wait_until


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
        assert window.tray.monitor_name == f"127.0.0.1:{port}", "tray tooltip and messages say it"
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
        # API keys are made on the monitor's own machine: the page says how.
        titles = [window.nav.item(i).text() for i in range(window.nav.count())]
        notice = window.pages.widget(titles.index("API keys")).findChild(EmptyState)
        assert notice is not None and "127.0.0.1" in notice.title.text()
    finally:
        _close(state)
    settings = (local_dir / "config" / "settings.toml").read_text(encoding="utf-8")
    assert remote.key not in settings


def test_settings_and_audit_of_a_remote_monitor_with_an_admin_key(
    qtbot: QtBot, local_dir: Path, remote: Remote
) -> None:
    """The Settings page shows and changes the remote's settings (through its
    checks and audit); a backtest replays the remote's samples; the Audit
    page reads the remote's trail."""
    state = _open(qtbot, local_dir, remote, remote.key)
    window: MainWindow = state["window"]
    page = window.settings_page
    assert page.autostart.isHidden(), "starting at login is this machine's choice, not the remote's"
    try:
        there = remote.client.call("GET", "/api/system/settings")["settings"]
        qtbot.waitUntil(
            lambda: page.throttle.value() == there["alerts.throttle_seconds"], timeout=10_000
        )
        page.throttle.setValue(there["alerts.throttle_seconds"] + 17)
        page.apply()
        changed = there["alerts.throttle_seconds"] + 17
        qtbot.waitUntil(
            lambda: (
                remote.client.call("GET", "/api/system/settings")["settings"][
                    "alerts.throttle_seconds"
                ]
                == changed
            ),
            timeout=10_000,
        )
        page.backtest()
        qtbot.waitUntil(lambda: "would have raised" in page.backtest_result.text(), timeout=15_000)
        # The daily checks run there; export, backup, restore and install say where.
        report = window.shown.check() if window.shown is not None else None
        assert report is not None and {"plugins", "backups"} <= {i.name for i in report.items}
        export = next(a for a in window.local_actions if "Export" in a.text())
        export.trigger()
        told = window.findChildren(QMessageBox)[-1]
        assert "127.0.0.1" in told.text() and "/export/PLUGIN" in told.detailedText()
        told.close()
        window.audit_page.reload()
        qtbot.waitUntil(
            lambda: any(
                e.action == "setting.set" and e.target == "alerts.throttle_seconds"
                for e in window.audit_page.entries
            ),
            timeout=10_000,
        )
    finally:
        _close(state)
    assert (local_dir / "config" / "settings.toml").read_text(encoding="utf-8").count(
        str(changed)
    ) == 0, "the change went to the remote monitor, not to this console's settings"


def test_a_viewer_key_is_told_what_needs_an_admin_key(
    qtbot: QtBot, local_dir: Path, remote: Remote
) -> None:
    viewer = subprocess.run(
        [str(CLI), "keys", "create", "--role", "viewer", "--data-dir", str(remote.folder)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    state = _open(qtbot, local_dir, remote, viewer)
    window: MainWindow = state["window"]
    try:
        qtbot.waitUntil(lambda: "billing" in window.dashboard.cards, timeout=10_000)
        titles = [window.nav.item(i).text() for i in range(window.nav.count())]
        for title in ("Settings", "Audit"):
            notice = window.pages.widget(titles.index(title)).findChild(EmptyState)
            assert notice is not None and "needs an admin key" in notice.text.text()
        assert "viewer" in window.status.api.text()
    finally:
        _close(state)


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
        health = window.status.health
        qtbot.waitUntil(lambda: health.text() == "Health unknown", timeout=10_000)
        assert "no monitor answers" in health.toolTip(), "never left saying Healthy"
        remote.process = serve(remote.folder, *remote.ports)
        qtbot.waitUntil(lambda: "Connected to" in status.text(), timeout=40_000)
        remote.client.push("billing", cpu_usage=99.0)
        qtbot.waitUntil(
            lambda: any(a.plugin_key == "billing" for a in window.alerts.model.alerts),
            timeout=10_000,
        )
    finally:
        _close(state)


def test_an_alert_event_heard_during_a_read_is_not_undone_by_it(remote: Remote) -> None:
    """The poller's read started before the event and ends after it: the
    event's alert stays open in what the console shows."""
    from desktop_app.models.alerts import AlertEvent, AlertEventKind
    from desktop_app.services.remote.api import RemoteApi, Snapshot

    class ReadDuringEvent(RemoteApi):
        """The real API; `during` runs after the read, before it is taken up."""

        during: Any = None

        def snapshot(self, *, admin: bool) -> Snapshot:
            fresh = super().snapshot(admin=admin)
            if self.during is not None:
                self.during()
            return fresh

    api = ReadDuringEvent(remote.url, remote.key)
    monitor = RemoteMonitor(api, remote.key, role="admin")
    raised = remote.client.alerts()  # none open yet: the fixture's push is within its lines
    assert raised == []
    alert = _open_alert(999)
    api.during = lambda: monitor._on_event(
        AlertEvent(1, AlertEventKind.RAISED, alert, alert.started_at, notify=True)
    )
    monitor._read()
    assert [a.id for a in monitor.engine.open_alerts()] == [999]
    api.close()


def _open_alert(alert_id: int) -> Any:
    from desktop_app.models.alerts import Alert, AlertStatus
    from desktop_app.models.levels import AlertLevel

    return Alert(
        alert_id, "billing", "cpu", AlertLevel.CRITICAL, AlertStatus.ACTIVE, "", 99, 95, 1, 1
    )


def test_plugin_monitor_connect_opens_the_console_on_that_monitor_and_quits_cleanly(
    local_dir: Path, remote: Remote, tmp_path: Path
) -> None:
    """The command line as the README gives it, in a process of its own: it
    connects (its log says so) and SIGTERM ends it with exit code 0."""
    key_file = tmp_path / "web01.key"
    key_file.write_text(remote.key + "\n", encoding="utf-8")
    command = [str(CLI), "--connect", remote.url, "--key-file", str(key_file)]
    with quits_cleanly(
        [*command, "--data-dir", str(local_dir)], {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    ):
        wanted = f"connected to the monitor at {remote.url} with a key of the admin role"
        wait_until(log_says(local_dir / "logs" / "system.log", wanted), 30, "the console connects")
    assert remote.key not in (local_dir / "config" / "settings.toml").read_text(encoding="utf-8")
