"""The main window: pages for Dashboard, Plugins, Alerts and Settings, a
status bar, toasts and the tray. It gets the monitor once it has started in
the background, and every core event through the bridge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from desktop_app.models.alerts import Alert, AlertEvent, open_by_level
from desktop_app.models.health import HealthSnapshot
from desktop_app.models.levels import AlertLevel
from desktop_app.models.problems import DATABASE_DAMAGED, Problem
from desktop_app.models.samples import Sample
from desktop_app.services.alerts.no_data import NO_DATA
from desktop_app.services.collectors.system import SYSTEM_PLUGIN_KEY
from desktop_app.views.alert_counts import parts, summary
from desktop_app.views.alerts_page import AlertsPage
from desktop_app.views.analytics_page import AnalyticsPage
from desktop_app.views.audit_page import AuditPage
from desktop_app.views.bridge import CoreBridge
from desktop_app.views.charts import ChartRefresher
from desktop_app.views.dashboard import Dashboard
from desktop_app.views.keys_page import KeysPage
from desktop_app.views.menus import build_menus
from desktop_app.views.navigation import side_bar
from desktop_app.views.operations_menu import (
    back_up_now,
    install_plugin,
    offer_restore,
    restore_backup,
    run_checks,
)
from desktop_app.views.plugins_page import PluginsPage
from desktop_app.views.settings_page import SettingsPage, SettingsParts
from desktop_app.views.sound import CriticalSound
from desktop_app.views.status_bar import StatusLabels, problem_text
from desktop_app.views.tasks import run_in_background
from desktop_app.views.toasts import ToastStrip
from desktop_app.views.tray import Tray
from desktop_app.views.window_state import WindowState

if TYPE_CHECKING:
    from desktop_app.services.runtime import PluginMonitor
    from desktop_app.views.sources import ShownMonitor

REFRESH_MS = 250
PROBLEM_MS = 30_000  # a problem stays in the status bar for this long


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(QMainWindow):
    connect_requested = Signal()  # File, Connect to monitor…

    def __init__(self, bridge: CoreBridge, settings: QSettings, tray_level: AlertLevel) -> None:
        super().__init__()
        self.bridge = bridge
        self.monitor: PluginMonitor | None = None  # the embedded monitor, when it is shown
        self.shown: ShownMonitor | None = None  # the monitor shown: embedded or remote
        self.shown_name = ""  # the remote monitor's host and port in the title
        self.quitting = False
        self.open_counts: dict[AlertLevel, int] = {}
        self.unread = 0
        self.setWindowTitle("Plugin Monitor")
        self.resize(1280, 820)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        self.nav = side_bar()
        self.pages = QStackedWidget()
        self.dashboard = Dashboard()
        self.plugins = PluginsPage()
        self.analytics = AnalyticsPage()
        self.alerts = AlertsPage()
        self.settings_page = SettingsPage()
        self.keys_page = KeysPage()
        self.audit_page = AuditPage()
        for title, page in (
            (tr("Dashboard"), self.dashboard),
            (tr("Plugins"), self.plugins),
            (tr("Analytics"), self.analytics),
            (tr("Alerts"), self.alerts),
            (tr("Settings"), self.settings_page),
            (tr("API keys"), self.keys_page),
            (tr("Audit"), self.audit_page),
        ):
            self.nav.addItem(title)
            self.pages.addWidget(page)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.toasts = ToastStrip(self, self.open_alert, self.acknowledge_alert)
        self.local_actions = build_menus(
            self,
            export=self.open_export,
            quit_app=self.quit,
            data_folder=lambda: self.monitor.paths.root if self.monitor else None,
            install=lambda archive: install_plugin(
                self, self.monitor, archive=archive, done=self.plugins.changed.emit
            ),
            back_up=lambda: back_up_now(self, self.monitor),
            restore=lambda: restore_backup(self, self.monitor),
            checks=lambda: run_checks(self, self.shown),
            connect=self.connect_requested.emit,
        )
        self.status = StatusLabels(self.statusBar())
        self._build_notifiers(tray_level)
        self._connect()
        self.window_state = WindowState(
            settings, {"plugins": self.plugins.splitter, "alerts": self.alerts.splitter}
        )
        self.window_state.restore(self, self.nav)

    def _build_notifiers(self, tray_level: AlertLevel) -> None:
        self.tray = Tray(
            self,
            toggle_window=self.toggle_visible,
            open_alert=self.open_alert,
            toggle_monitoring=lambda: self.set_monitoring(not self.dashboard.toggle.isChecked()),
            quit_app=self.quit,
            level=tray_level,
        )
        if not self.tray.available:
            self.status.tray.setText(tr("Tray notifications unavailable"))
        elif not self.tray.messages:
            self.status.tray.setText(tr("Tray messages unavailable"))

    def _connect(self) -> None:
        self.last_sample: float | None = None
        self.plugins_dirty = False
        self.shown_missing: frozenset[str] = frozenset()  # plugins shown "process not found"
        # The supervisor's states and the invalid manifests as last shown (each swapped whole).
        self.shown_processes: object = None
        self.shown_invalid: object = None
        self.charts = ChartRefresher(self)
        for chart in (
            *self.dashboard.host.charts.values(),
            *self.plugins.detail_charts.values(),
            self.alerts.detail.chart,
        ):
            self.charts.add(chart)
        self.dashboard.monitoring_toggled.connect(self.set_monitoring)
        self.dashboard.open_alerts.connect(lambda: self.show_page(self.alerts))
        self.alerts.unread_changed.connect(self._unread)
        self.settings_page.tray_level_changed.connect(
            lambda level: setattr(self.tray, "level", level)
        )
        self.settings_page.tray_recoveries_changed.connect(
            lambda shown: setattr(self.tray, "recoveries", shown)
        )
        self.sound = CriticalSound(self)
        self.settings_page.sound_backend.setText(self.sound.backend)
        self.sound.backend_changed.connect(self.settings_page.sound_backend.setText)
        self.settings_page.sound_changed.connect(lambda on: setattr(self.sound, "enabled", on))
        for page in (
            self.alerts,
            self.plugins,
            self.analytics,
            self.keys_page,
            self.settings_page,
            self.audit_page,
        ):
            page.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.plugins.changed.connect(lambda: setattr(self, "plugins_dirty", True))
        self.pages.currentChanged.connect(self._page_shown)
        self.bridge.alert.connect(self.on_alert)
        self.bridge.problem.connect(self.on_problem)
        self.bridge.samples.connect(self.on_samples)
        self.bridge.host.connect(self.dashboard.host.show_host)
        self.bridge.replaced.connect(self.on_replaced)
        self.timer = self._every(REFRESH_MS, self.refresh)
        # Cards and rows show new values once a second; status every five.
        self.values_timer = self._every(1000, self.dashboard.flush_cards, self.plugins.model.flush)
        self.slow_timer = self._every(5000, self.refresh_status)

    def _every(self, ms: int, *slots: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        for slot in slots:
            timer.timeout.connect(slot)
        timer.start(ms)
        return timer

    # -- the monitor ------------------------------------------------------------

    def show_monitor(self, monitor: ShownMonitor, logs_dir: Path | None) -> None:
        """The pages every monitor fills: dashboard, plugins, analytics, alerts."""
        self.shown = monitor
        self.plugins.attach(monitor, logs_dir)
        self.analytics.attach(monitor.registry, monitor.analytics)
        self.alerts.attach(
            monitor.alerts, monitor.engine, monitor.silences, (monitor.registry, monitor.samples)
        )

    def attach(self, monitor: PluginMonitor) -> None:
        self.monitor = monitor
        self.show_monitor(monitor, monitor.paths.plugin_logs_dir)
        self._load_history(monitor)
        self.tray.recoveries = monitor.settings.console.tray_recoveries
        self.sound.enabled = monitor.settings.console.sound
        from desktop_app.services.auth.keys import ApiKeyStore  # off the start path

        self.keys_page.attach(ApiKeyStore(monitor.database))
        self.audit_page.attach(monitor.audit)
        self.dashboard.set_api(
            monitor.api.external_url.rstrip("/") if monitor.api is not None else None,
            monitor.paths.root,
        )
        self.alerts.empty_commands(monitor.paths.root)
        self.settings_page.attach(
            SettingsParts(
                monitor.settings_service,
                monitor.thresholds,
                monitor.registry,
                monitor.backtests,
                monitor.webhooks,
                monitor.webhook_delivery,
            )
        )
        self.settings_page.autostart.attach(monitor.paths.root)
        self.bridge.connect_embedded(monitor)
        self.dashboard.set_monitoring(monitor.monitoring)
        self.refresh_plugins()
        self.alerts.reload()
        self.settings_page.load()
        if monitor.api is not None:
            api = monitor.api
            self.status.show_api(api.scheme, monitor.api_settings.host, api.ports["API"])
        if monitor.start_problems:
            self.statusBar().showMessage(
                " · ".join(problem_text(problem) for problem in monitor.start_problems),
                PROBLEM_MS,
            )
        self.refresh_status()

    def _load_history(self, monitor: PluginMonitor) -> None:
        live = monitor.live_host
        self.dashboard.load_history(monitor, live.recent if live is not None else None)

    @staticmethod
    def worst_levels(open_alerts: list[Alert]) -> dict[str, AlertLevel]:
        worst: dict[str, AlertLevel] = {}
        for alert in open_alerts:
            if alert.level > worst.get(alert.plugin_key, AlertLevel.INFO - 1):
                worst[alert.plugin_key] = alert.level
        return worst

    def refresh_plugins(self) -> None:
        shown = self.shown
        if shown is None:
            return
        plugins = shown.registry.all()
        # One snapshot for cards, counts and tray, so they never disagree.
        open_alerts = shown.engine.open_alerts()
        worst = self.worst_levels(open_alerts)
        self.open_counts = open_by_level(open_alerts)
        self._show_alert_counts()
        silent = {a.plugin_key: a.started_at for a in open_alerts if a.rule == NO_DATA.name}
        missing = frozenset(p.key for p in plugins if shown.registry.process_found(p.key) is False)
        self.shown_processes = processes = shown.supervisor.statuses()
        self.shown_invalid = invalid = shown.discovery.invalid
        states = {key: status.state.value for key, status in processes.items()}
        self.dashboard.set_plugins(plugins, worst, silent, missing, states)
        self.plugins.model.set_plugins(plugins, worst, processes)
        self.plugins.show_invalid(invalid)
        self.plugins.update_actions()
        keys = [p.key for p in plugins]
        self.alerts.set_plugins(keys)
        self.analytics.set_plugins(keys)
        self.settings_page.set_plugins(keys)
        self.tray.set_worst(max(worst.values(), default=None), summary(self.open_counts))

    def set_monitoring(self, on: bool) -> None:
        if self.monitor is None:
            return
        if on:
            self.monitor.start_monitoring()
        else:
            self.monitor.stop_monitoring()
        self.dashboard.set_monitoring(on)
        self.refresh_status()

    # -- events ---------------------------------------------------------------------

    def on_problem(self, problem: Problem) -> None:
        """A fault that is not an alert about a plugin: said in the status bar
        long enough to read (it is in logs/system.log too)."""
        self.statusBar().showMessage(problem_text(problem), PROBLEM_MS)
        if problem.source == DATABASE_DAMAGED and self.monitor is not None:
            offer_restore(self, self.monitor, problem.message)

    def on_replaced(self, reason: str) -> None:
        """The data was restored or replaced: every view reads it afresh."""
        if self.monitor is None:
            return
        self._load_history(self.monitor)
        self.refresh_plugins()
        for page in (self.alerts, self.keys_page, self.audit_page):
            page.reload()
        self.statusBar().showMessage(
            tr("The data was replaced ({reason}); every view shows it afresh").format(
                reason=reason
            ),
            PROBLEM_MS,
        )

    def on_alert(self, event: AlertEvent) -> None:
        """Plugin states follow on the next refresh tick: an alert storm
        costs one redraw per tick, not one per event."""
        self.alerts.on_event(event)
        self.plugins_dirty = True
        self.toasts.on_event(event)
        if event.notify:
            self.tray.notify(event)
            self.sound.on_alert(event)

    def on_samples(self, samples: list[Sample]) -> None:
        self.dashboard.show_samples(samples)
        self.plugins.model.show_samples(samples)
        if samples:
            self.last_sample = max(s.ts for s in samples)
        if any(not self.plugins.model.knows(s.plugin_key) for s in samples):
            self.plugins_dirty = True

    def _unread(self, count: int) -> None:
        """Shown on the next tick with the open alerts it goes with, so the
        badge never pairs a new count with an old state."""
        self.unread = count
        self.plugins_dirty = True

    def _show_alert_counts(self) -> None:
        """Badge, navigation and title say the same: open alerts by level
        first, then the unread count."""
        self.dashboard.set_alerts(self.open_counts, self.unread)
        now = summary(self.open_counts)
        item = self.nav.item(self.pages.indexOf(self.alerts))
        item.setText("\n".join([tr("Alerts"), *parts(self.open_counts)]))  # a level a line
        where = f" — {self.shown_name}" if self.shown_name else ""
        self.setWindowTitle("Plugin Monitor" + where + (f" — {now}" if now else ""))

    def show_page(self, page: QWidget) -> None:
        self.nav.setCurrentRow(self.pages.indexOf(page))

    def _page_shown(self, index: int) -> None:
        """The analytics page loads its report when it is first looked at."""
        if self.pages.widget(index) is self.analytics and self.analytics.report is None:
            self.analytics.load()

    def open_alert(self, alert_id: int) -> None:
        self.show_window()
        self.show_page(self.alerts)
        self.alerts.select_alert(alert_id)

    def acknowledge_alert(self, alert_id: int) -> None:
        self.alerts.alert_actions.acknowledge([alert_id], None)

    def open_export(self) -> None:
        if self.monitor is not None:
            from desktop_app.views.export_dialog import ExportDialog  # loaded when first used

            ExportDialog(self.monitor, self).open()

    # -- periodic ---------------------------------------------------------------------

    def refresh(self) -> None:
        monitor = self.shown
        if monitor is not None and (
            monitor.registry.processes_missing != self.shown_missing
            or monitor.supervisor.statuses() is not self.shown_processes
            or monitor.discovery.invalid is not self.shown_invalid
        ):
            self.plugins_dirty = True  # a process was lost, found, started or stopped
        if self.plugins_dirty:
            self.plugins_dirty = False
            self.refresh_plugins()

    def refresh_status(self) -> None:
        shown = self.shown
        if shown is None:
            return
        self.dashboard.host.set_thresholds(shown.thresholds.effective(SYSTEM_PLUGIN_KEY))
        if self.monitor is not None:
            self.status.show_monitoring(
                self.monitor.monitoring, self.monitor.scheduler.interval, self.last_sample
            )
        run_in_background(shown.health, self._show_health, self.status.health_unknown, owner=self)

    def _show_health(self, health: HealthSnapshot) -> None:
        self.status.show_health(health)
        if self.monitor is None:  # a remote monitor: its collection is on or off there
            self.dashboard.set_monitoring(health.monitoring)

    # -- window ---------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.toasts.place()

    def show_window(self) -> None:
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()

    def toggle_visible(self) -> None:
        if self.isVisible():
            self.hide()
        else:
            self.show_window()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.window_state.save(self, self.nav)
        if self.tray.available and not self.quitting:
            event.ignore()
            self.hide()
            self.statusBar().showMessage(tr("Still monitoring in the tray"), 5000)
            return
        event.accept()
        self.quitting = True
        QApplication.quit()

    def quit(self) -> None:
        self.quitting = True
        self.close()
