"""The console end to end: core alerts reach toasts, the centre and the badge;
clicking resolves; monitoring starts and stops; settings reach the engine."""

from __future__ import annotations

import linecache
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop_app import autostart
from desktop_app.models.alerts import AlertStatus
from desktop_app.models.levels import AlertLevel
from desktop_app.models.plugins import PluginSource, ProcessSpec
from desktop_app.models.samples import Sample
from desktop_app.services.collectors.process import ProcessCollector
from desktop_app.services.runtime import PluginMonitor
from desktop_app.views.app import build_window
from desktop_app.views.menus import about_text, shortcuts_text
from desktop_app.views.silence_dialog import SilenceDialog
from tests.helpers import EventRecorder
from tests.views.conftest import Console


def push(console: Console, plugin: str = "app", **metrics: float) -> None:
    monitor = console.monitor
    if monitor.registry.get(plugin) is None:
        monitor.registry.register(plugin, plugin, PluginSource.API)
    monitor.ingest([Sample(plugin, time.time(), **metrics)]).result(10)
    monitor.engine.flush().result(10)


def test_an_alert_reaches_toast_centre_and_badge(console: Console, qtbot: QtBot) -> None:
    window = console.window
    window.nav.setCurrentRow(0)
    push(console, cpu_percent=99)
    qtbot.waitUntil(lambda: len(window.toasts.toasts) == 1, timeout=5000)
    toast = window.toasts.toasts[0]
    assert toast.isVisible()
    qtbot.waitUntil(lambda: any(a.rule == "cpu" for a in window.alerts.model.alerts))
    assert window.alerts.unread == 1
    qtbot.waitUntil(lambda: window.dashboard.badge.text() == "1 critical — 1 new")
    assert window.nav.item(window.pages.indexOf(window.alerts)).text() == "Alerts\n1 critical"
    assert window.windowTitle() == "Plugin Monitor — 1 critical"
    qtbot.waitUntil(lambda: "app" in window.dashboard.cards, timeout=5000)
    qtbot.waitUntil(lambda: window.dashboard.cards["app"].state.text() == "critical")
    if not window.tray.available:
        assert window.status.tray.text() == "Tray notifications unavailable"
    window.show_page(window.alerts)
    qtbot.waitUntil(lambda: window.alerts.unread == 0)
    qtbot.waitUntil(lambda: window.dashboard.badge.text() == "1 critical")


def test_the_badge_counts_open_alerts_after_a_restart(
    qtbot: QtBot, qapp: object, data_dir: Path
) -> None:
    """Alerts left open by the last run are counted at once; nothing is unread."""
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(
        '[api]\nenabled = false\n[console]\nlanguage = "en"\n'
    )
    with PluginMonitor.open(data_dir, collectors=[], api={"enabled": False}) as first:
        first.start(monitoring=False)
        first.registry.register("app", "app", PluginSource.API)
        first.ingest([Sample("app", time.time(), cpu_percent=99, memory_percent=90)]).result(10)
        first.engine.flush().result(10)
    window, bridge, state = build_window(qapp, data_dir)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: "monitor" in state, timeout=15_000)
        qtbot.waitUntil(lambda: window.dashboard.badge.text() == "1 critical · 1 warning")
        assert window.windowTitle() == "Plugin Monitor — 1 critical · 1 warning"
    finally:
        bridge.disconnect_monitor()
        state["monitor"].stop()
        window.quitting = True


def test_a_recovery_toast_is_green_and_titled_resolved(console: Console, qtbot: QtBot) -> None:
    window = console.window
    push(console, cpu_percent=99)
    qtbot.waitUntil(lambda: len(window.toasts.toasts) == 1, timeout=5000)
    assert "CRITICAL" in window.toasts.toasts[0].title.text()
    push(console, cpu_percent=50)
    qtbot.waitUntil(lambda: "Resolved" in window.toasts.toasts[0].title.text(), timeout=5000)
    (recovered,) = window.toasts.toasts  # the alert's one toast, telling its latest state
    assert "CRITICAL" not in recovered.title.text()
    assert "#2e9d57" in recovered.styleSheet() and "#c81d25" not in recovered.styleSheet()
    assert recovered.findChildren(QLabel)[1].text().startswith("CPU usage back to 50 %")


def test_a_click_selects_resolve_is_a_button_and_undo_reopens(
    console: Console, qtbot: QtBot
) -> None:
    window, monitor = console.window, console.monitor
    events = EventRecorder()
    monitor.bus.subscribe(events)
    push(console, memory_percent=99)
    window.show_page(window.alerts)
    qtbot.waitUntil(lambda: len(window.alerts.model.alerts) == 1)
    (alert,) = window.alerts.model.alerts
    rect = window.alerts.table.visualRect(window.alerts.proxy.index(0, 3))
    qtbot.mouseClick(window.alerts.table.viewport(), qtbot_left(), pos=rect.center())
    qtbot.wait(300)
    assert [a.id for a in monitor.engine.open_alerts()] == [alert.id], "a click only selects"
    assert window.alerts.selected_alerts() == [alert]
    qtbot.waitUntil(lambda: window.alerts.detail.timeline.count() == 1, timeout=5000)
    assert "raised" in window.alerts.detail.timeline.item(0).text()
    qtbot.mouseClick(window.alerts.resolve_button, qtbot_left())
    qtbot.waitUntil(lambda: monitor.engine.open_alerts() == [], timeout=5000)
    stored = monitor.alerts.get(alert.id)
    assert stored is not None and stored.status is AlertStatus.RESOLVED
    assert stored.resolved_by is not None and stored.resolved_by.endswith("(console)")
    bar = window.alerts.alert_actions.undo_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert bar.label.text() == f"Alert {alert.id} resolved."
    qtbot.mouseClick(bar.button, qtbot_left())
    qtbot.waitUntil(lambda: len(monitor.engine.open_alerts()) == 1, timeout=5000)
    (reopened,) = monitor.engine.open_alerts()
    assert (reopened.id, reopened.level) == (alert.id, alert.level)
    assert [e.kind.value for e in events.events][-2:] == ["resolved", "reopened"]
    assert [e.kind.value for e in monitor.alerts.timeline(alert.id)][-1] == "reopened"
    qtbot.waitUntil(lambda: [a.id for a in window.alerts.model.alerts] == [alert.id])


def test_several_alerts_are_acknowledged_together_and_sorted_by_level(
    console: Console, qtbot: QtBot
) -> None:
    window, monitor = console.window, console.monitor
    push(console, memory_percent=90)
    push(console, "b", cpu_percent=99)
    window.show_page(window.alerts)
    qtbot.waitUntil(lambda: len(window.alerts.model.alerts) == 2)
    window.alerts.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    first = window.alerts.proxy.index(0, 0)
    assert window.alerts.proxy.data(first) == "critical", "levels sort by severity"
    window.alerts.table.selectAll()
    window.alerts.alert_actions.acknowledge(
        [a.id for a in window.alerts.selected_alerts()], "looking"
    )
    qtbot.waitUntil(
        lambda: all(a.status is AlertStatus.ACKNOWLEDGED for a in monitor.engine.open_alerts()),
        timeout=5000,
    )
    assert {a.comment for a in monitor.engine.open_alerts()} == {"looking"}


def qtbot_left() -> Qt.MouseButton:
    return Qt.MouseButton.LeftButton


def test_start_and_stop_monitoring_shows_live_metrics(console: Console, qtbot: QtBot) -> None:
    window = console.window
    console.monitor.scheduler.set_interval(1)
    assert not window.dashboard.toggle.isChecked()
    qtbot.mouseClick(window.dashboard.toggle, qtbot_left())
    assert console.monitor.monitoring
    assert window.dashboard.toggle.text() == "Stop monitoring"
    qtbot.waitUntil(lambda: window.dashboard.host.cpu_chart.points >= 1, timeout=5000)
    assert window.dashboard.cards["system"].values["memory"].text().endswith("%")
    qtbot.mouseClick(window.dashboard.toggle, qtbot_left())
    assert not console.monitor.monitoring
    assert window.dashboard.toggle.text() == "Start monitoring"


def test_a_settings_change_reaches_the_alert_engine(console: Console, qtbot: QtBot) -> None:
    window = console.window
    window.show_page(window.settings_page)
    page = window.settings_page
    page.fields["cpu_threshold"].setValue(60.0)
    qtbot.mouseClick(page.apply_button, qtbot_left())
    qtbot.waitUntil(lambda: console.monitor.thresholds.cpu_threshold == 60.0, timeout=5000)
    push(console, cpu_percent=65)
    assert [a.rule for a in console.monitor.engine.open_alerts()] == ["cpu"]
    (entry,) = [e for e in console.monitor.audit.entries() if e.action == "threshold.set"]
    assert (entry.target, entry.new_value) == ("cpu_threshold", "60.0")
    assert entry.actor.endswith("(console)")


def test_settings_refuse_a_critical_line_below_its_warning(console: Console) -> None:
    page = console.window.settings_page
    page.fields["memory_threshold"].setValue(90)
    page.fields["memory_critical_threshold"].setValue(80)
    assert not page.apply_button.isEnabled()
    assert "memory: the critical line must be at or above" in page.problem.text()


def test_the_settings_page_turns_starting_at_login_on_and_off(
    console: Console, qtbot: QtBot
) -> None:
    """The box shows the autostart entry's presence and writes or removes it
    off the UI thread, naming what it did."""
    box = console.window.settings_page.autostart
    entry = autostart.entry_path()
    assert not box.isHidden() and not box.isChecked() and not entry.exists()
    messages: list[str] = []
    console.window.settings_page.status_message.connect(messages.append)
    box.click()
    qtbot.waitUntil(lambda: bool(messages), timeout=5_000)
    assert entry.is_file() and f"--data-dir {console.monitor.paths.root}" in entry.read_text()
    assert messages == [f"The console starts when you log in ({entry})"]
    box.click()
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=5_000)
    assert not entry.exists() and messages[1] == "The console no longer starts when you log in"


def test_the_console_lets_go_of_the_source_lines_read_while_it_started(console: Console) -> None:
    """PySide6's import hook reads each importing module's source into
    linecache (43 MiB in a soak); the console clears it once it has started."""
    lines = sum(len(entry[2]) for entry in linecache.cache.values() if len(entry) > 2)
    assert lines < 20_000


def test_plugins_table_updates_rows_in_place(console: Console, qtbot: QtBot) -> None:
    window = console.window
    model = window.plugins.model
    inserted: list[int] = []
    changed: list[int] = []
    model.rowsInserted.connect(lambda _p, first, _last: inserted.append(first))
    model.dataChanged.connect(lambda top, _bottom: changed.append(top.row()))
    push(console, plugin="billing", cpu_percent=12.5)
    window.refresh_plugins()
    qtbot.waitUntil(lambda: model.rowCount() == 3)  # system, security, billing
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    push(console, plugin="billing", cpu_percent=13.5)
    qtbot.waitUntil(
        lambda: any(model.data(model.index(r, 3)) == "13.5" for r in range(model.rowCount()))
    )
    assert inserted and changed and resets == []


def test_closing_without_a_tray_quits(console: Console) -> None:
    window = console.window
    if window.tray.available:
        window.quitting = False
        window.close()
        assert not window.isVisible() and not window.quitting
    else:
        window.close()
        assert window.quitting and not window.isVisible()


def launch_without_qt_platform(
    data_dir: object, display: str | None
) -> subprocess.CompletedProcess[str]:
    """The console as an operator starts it, with the given DISPLAY (or none)."""
    hidden = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    if display is not None:
        env["DISPLAY"] = display
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_no_display_gives_a_message_and_exit_code_2(data_dir: object) -> None:
    result = launch_without_qt_platform(data_dir, None)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "plugin-monitor: error: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set); "
        "run `plugin-monitor serve` for the monitor without a window"
    )


def test_an_unusable_display_gives_a_message_and_exit_code_2(data_dir: object) -> None:
    """A display nobody serves is named first, whether or not Qt's xcb
    libraries are there (a machine without them met the other order)."""
    result = launch_without_qt_platform(data_dir, ":97")
    assert result.returncode == 2
    assert "cannot connect to the X display :97" in result.stderr


def test_registering_a_plugin_from_the_plugins_page(console: Console, qtbot: QtBot) -> None:
    page = console.window.plugins
    page.register("billing", "Billing service")
    qtbot.waitUntil(lambda: page.model.knows("billing"), timeout=5000)
    assert console.monitor.registry.get("billing").name == "Billing service"  # type: ignore[union-attr]
    messages: list[str] = []
    page.status_message.connect(messages.append)
    page.register("not valid!", "x")
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    assert "plugin id 'not valid!' is not allowed" in messages[0]


def test_the_plugins_page_says_which_host_a_plugin_comes_from(
    console: Console, qtbot: QtBot
) -> None:
    registry = console.monitor.registry
    registry.register("web01.billing", "billing on web01", PluginSource.API, host="web01")
    console.window.refresh_plugins()  # as a registration through the API is taken up
    page = console.window.plugins
    qtbot.waitUntil(lambda: page.model.knows("web01.billing"), timeout=5000)
    host_column = page.model.columnCount() - 1
    hosts = {
        page.model.key_at(row): page.model.index(row, host_column).data()
        for row in range(page.model.rowCount())
    }
    assert hosts["web01.billing"] == "web01"
    assert hosts["system"] == "this machine"


def test_notification_settings_apply_live_and_persist(console: Console, qtbot: QtBot) -> None:
    window = console.window
    page = window.settings_page
    page.tray_level.setCurrentIndex(page.tray_level.findData(AlertLevel.ERROR))
    page.throttle.setValue(60)
    page.api_port.setValue(5050)
    qtbot.mouseClick(page.apply_button, qtbot_left())
    qtbot.waitUntil(lambda: console.monitor.engine.throttle.window_seconds == 60, timeout=5000)
    qtbot.waitUntil(lambda: window.tray.level is AlertLevel.ERROR, timeout=5000)
    settings = console.monitor.settings_file.load()
    assert (settings.console.tray_level, settings.api.port) == ("error", 5050)
    targets = {e.target for e in console.monitor.audit.entries() if e.action == "setting.set"}
    assert targets == {"console.tray_level", "alerts.throttle_seconds", "api.port"}


def test_sigterm_closes_the_console_cleanly(data_dir: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "desktop_app",
            "--data-dir",
            str(data_dir),
            "--port",
            "0",
            "--ws-port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    log = data_dir / "logs" / "system.log"
    deadline = time.time() + 30
    while not (log.exists() and "monitor started" in log.read_text()):
        assert process.poll() is None, process.communicate()[1]
        assert time.time() < deadline, "the console did not start"
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "monitor stopped" in log.read_text()


@pytest.mark.expect_log_warnings
def test_a_problem_from_the_core_is_shown_in_the_status_bar(console: Console, qtbot: QtBot) -> None:
    settings = console.monitor.paths.settings_file
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("[api]", "[api]\nport = 99999"),
        encoding="utf-8",
    )
    qtbot.waitUntil(
        lambda: "api.port = 99999 is not allowed" in console.window.statusBar().currentMessage(),
        timeout=10_000,
    )
    assert "running values are kept" in console.window.statusBar().currentMessage()
    console.window.refresh_status()
    health = console.window.status.health
    qtbot.waitUntil(lambda: health.text() == "1 problem", timeout=10_000)
    assert health.toolTip().startswith("settings-file: ")
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("port = 99999", "port = 5001"),
        encoding="utf-8",
    )
    qtbot.waitUntil(lambda: console.monitor.health().ok, timeout=10_000)
    console.window.refresh_status()
    qtbot.waitUntil(lambda: health.text() == "Healthy", timeout=10_000)


def test_a_silent_plugin_card_turns_grey_and_says_since_when(
    console: Console, qtbot: QtBot
) -> None:
    window = console.window
    push(console, "quiet", cpu_percent=5)
    console.monitor.thresholds.plugin("quiet").stale_after_seconds = 1
    qtbot.waitUntil(lambda: "quiet" in window.dashboard.cards, timeout=5000)
    card = window.dashboard.cards["quiet"]
    qtbot.waitUntil(lambda: card.state.text().startswith("no data since "), timeout=5000)
    assert "#8a8f98" in card.dot.styleSheet()  # grey: its values are no longer news
    push(console, "quiet", cpu_percent=5)
    qtbot.waitUntil(lambda: card.state.text() == "ok", timeout=5000)


def test_silencing_an_alert_from_the_centre_keeps_it_quiet(console: Console, qtbot: QtBot) -> None:
    window = console.window
    push(console, cpu_percent=99)
    qtbot.waitUntil(lambda: any(a.rule == "cpu" for a in window.alerts.model.alerts))
    (alert,) = [a for a in window.alerts.model.alerts if a.rule == "cpu"]
    dialog = SilenceDialog(alert, window)
    assert not dialog.ok.isEnabled(), "no silence without a reason"
    dialog.comment.setText("deploying v2.3")
    dialog.length.setCurrentIndex(2)  # until tomorrow 09:00
    wanted = dialog.request(datetime(2026, 11, 26, 17, 30).astimezone())
    assert datetime.fromtimestamp(wanted.ends_at).strftime("%d %H:%M") == "27 09:00"
    dialog.length.setCurrentIndex(0)
    window.alerts.alert_actions.silence(dialog.request())
    qtbot.waitUntil(lambda: len(console.monitor.silences.current()) == 1, timeout=5000)
    (silence,) = console.monitor.silences.current()
    assert (silence.plugin_key, silence.rule, silence.comment) == ("app", "cpu", "deploying v2.3")
    assert silence.created_by.endswith("(console)")
    shown = list(window.toasts.toasts)
    push(console, cpu_percent=10)
    push(console, cpu_percent=99)
    qtbot.wait(300)
    new = [toast for toast in window.toasts.toasts if not any(toast is s for s in shown)]
    assert new == [], "silenced: no toast"
    qtbot.waitUntil(
        lambda: "silenced" in window.alerts.model.status_text(window.alerts.model.alerts[0])
    )


def test_a_plugin_whose_process_is_gone_says_so(console: Console, qtbot: QtBot) -> None:
    """From the real process collector: a failed sample pushed for the plugin
    is not taken for a missing process, the collector's finding is."""
    monitor, window = console.monitor, console.window
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        spec = ProcessSpec(pid=child.pid)
        monitor.registry.register("worker", "Worker", PluginSource.DIRECTORY, process=spec)
        collector = ProcessCollector(monitor.registry.all, monitor.registry.note_missing_processes)
        monitor.ingest(collector.collect(time.time())).result(10)
        qtbot.waitUntil(lambda: "worker" in window.dashboard.cards, timeout=5000)
        card = window.dashboard.cards["worker"]
        monitor.ingest([Sample("worker", time.time() + 1, failed=True)]).result(10)
        window.refresh_plugins()
        assert card.state.text() != "process not found", "a failed push is not a lost process"
        child.kill()
        child.wait(10)
        monitor.ingest(collector.collect(time.time() + 2)).result(10)
        qtbot.waitUntil(lambda: card.state.text() == "process not found", timeout=5000)
        assert monitor.registry.process_found("worker") is False
    finally:
        child.kill()
        child.wait(10)


def test_help_says_the_versions_the_data_folder_and_every_shortcut(
    console: Console,
) -> None:
    window = console.window
    about = about_text(str(console.monitor.paths.root))
    assert "Plugin Monitor" in about and "SQLite" in about
    assert str(console.monitor.paths.root) in about
    shortcuts = shortcuts_text(window)
    for keys in ("Ctrl+R", "Ctrl+K", "Ctrl+L", "Ctrl+Q", "F1"):
        assert keys in shortcuts
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Help"]


def test_the_alert_detail_draws_the_metric_around_the_alert_with_its_line(
    console: Console, qtbot: QtBot
) -> None:
    window, monitor = console.window, console.monitor
    monitor.registry.register("app", "app", PluginSource.API)
    now = time.time()
    monitor.ingest(
        [Sample("app", now - 600 + i * 30, memory_percent=50.0 + i) for i in range(19)]
    ).result(10)
    push(console, memory_percent=99)
    window.show_page(window.alerts)
    qtbot.waitUntil(lambda: len(window.alerts.model.alerts) == 1, timeout=5000)
    window.alerts.table.selectRow(0)
    chart = window.alerts.detail.chart
    qtbot.waitUntil(lambda: chart.points == 20, timeout=5000)
    assert chart.isVisible()
    (alert,) = window.alerts.model.alerts
    assert chart.line_values == [alert.threshold] == [95.0]  # the critical line it crossed
    _x, y = chart._curve.getData()
    assert y[-1] == 99.0 and y[0] == 50.0
    left, right = chart.getPlotItem().vb.viewRange()[0]
    assert left <= alert.started_at - 800 and right >= alert.started_at
