"""`plugin-monitor` (and `plugin-monitor gui`): the desktop console.

The monitor is opened and started in the background while the window shows;
a fault (folder, settings, database, a second instance) is shown in a dialog
and the program exits with code 2.
"""

from __future__ import annotations

import locale
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.config import SettingsFile
from desktop_app.errors import DatabaseError, InstanceLockedError, OperatorError
from desktop_app.logs import configure_logging, ensure_logging_conf
from desktop_app.models.levels import AlertLevel
from desktop_app.paths import DataPaths
from desktop_app.views.bridge import CoreBridge
from desktop_app.views.main_window import MainWindow
from desktop_app.views.operator import console_actor
from desktop_app.views.start_recovery import newest_backup, offer_newest_backup, restore_newest
from desktop_app.views.style import apply_theme
from desktop_app.views.tasks import run_in_background

if TYPE_CHECKING:
    from desktop_app.services.runtime import PluginMonitor

log = logging.getLogger("plugin_monitor.views")

TRANSLATIONS = Path(__file__).resolve().parent.parent.parent / "resources" / "translations"
STOP_TIMEOUT = 10.0


def tr(text: str) -> str:
    return QCoreApplication.translate("Startup", text)


def already_running(error: InstanceLockedError) -> str:
    """The instance-lock refusal in the console's language."""
    return tr(
        "Another Plugin Monitor (pid {pid}) is already running on the data folder {folder}. "
        "Stop it first, or start this one with another --data-dir."
    ).format(pid=error.holder, folder=error.folder)


def choose_language(setting: str) -> str:
    if setting != "system":
        return setting
    name = QLocale.system().name() or (locale.getlocale()[0] or "")
    return "ko" if name.lower().startswith("ko") else "en"


def install_translator(app: QApplication, language: str) -> QTranslator | None:
    if language == "en":
        return None
    translator = QTranslator(app)
    if translator.load(str(TRANSLATIONS / f"plugin_monitor_{language}.qm")):
        app.installTranslator(translator)
        return translator
    log.warning("no %s translation found in %s", language, TRANSLATIONS)
    return None


def build_window(
    app: QApplication,
    data_dir: Path,
    *,
    interval: float | None = None,
    api: dict[str, Any] | None = None,
) -> tuple[MainWindow, CoreBridge, dict[str, Any]]:
    """The window, shown at once; the monitor starts in the background and
    lands in `state["monitor"]` (or `state["error"]`)."""
    paths = DataPaths(data_dir)
    paths.prepare()
    settings_file = SettingsFile(paths.settings_file)
    settings_file.ensure_exists()
    settings = settings_file.load()
    install_translator(app, choose_language(settings.console.language))
    apply_theme(app, settings.console.theme)
    ui_state = QSettings(str(paths.config_dir / "console.ini"), QSettings.Format.IniFormat)
    bridge = CoreBridge()
    window = MainWindow(bridge, ui_state, AlertLevel.parse(settings.console.tray_level))
    state: dict[str, Any] = {}

    def start() -> PluginMonitor:
        # Imported here, in the background: the window paints before the core
        # (SQLAlchemy, NumPy, pydantic: about 1 s of imports) has loaded.
        from desktop_app.services.runtime import PluginMonitor

        try:
            monitor = PluginMonitor.open(data_dir, interval=interval, api=api, live_host=True)
        except InstanceLockedError as error:
            raise OperatorError(already_running(error)) from None
        except DatabaseError:
            state["restorable"] = newest_backup(data_dir)
            raise
        monitor.start()
        return monitor

    def started(monitor: PluginMonitor) -> None:
        state["monitor"] = monitor
        window.attach(monitor)
        from desktop_app.services.runtime import tune_garbage_collection

        tune_garbage_collection()

    def failed(message: str) -> None:
        newest = state.pop("restorable", None)
        if newest is not None and offer_newest_backup(window, message, newest):
            actor = console_actor()

            def restore_then_start() -> PluginMonitor:
                restore_newest(data_dir, newest, actor)
                return start()

            run_in_background(restore_then_start, started, failed, owner=app)
            return
        state["error"] = message
        QMessageBox.critical(window, "Plugin Monitor", message)
        app.exit(2)

    # From the event loop, after the window's first paint: the core's imports and
    # database work would otherwise compete with it for the interpreter.
    QTimer.singleShot(0, lambda: run_in_background(start, started, failed, owner=app))
    return window, bridge, state


def quit_on_signals(app: QApplication, window: MainWindow) -> None:
    """SIGINT and SIGTERM close the console cleanly (the monitor is stopped and
    everything acknowledged is kept). Qt's loop does not return to Python on
    its own, so a short timer lets Python's signal handlers run."""

    def request_quit(_signum: int, _frame: object) -> None:
        window.quit()

    signal.signal(signal.SIGINT, request_quit)
    signal.signal(signal.SIGTERM, request_quit)
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(200)


def run_gui(
    data_dir: Path, *, interval: float | None = None, api: dict[str, Any] | None = None
) -> int:
    from desktop_app.views.preflight import display_problem

    problem = display_problem()
    if problem is not None:
        raise OperatorError(problem)
    paths = DataPaths(data_dir)
    paths.prepare()
    ensure_logging_conf(paths)
    configure_logging(
        paths,
        SettingsFile(paths.settings_file).load().log_level
        if paths.settings_file.exists()
        else "info",
    )
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Plugin Monitor")
    app.setQuitOnLastWindowClosed(False)
    window, bridge, state = build_window(app, data_dir, interval=interval, api=api)
    window.show()
    quit_on_signals(app, window)
    code = app.exec()
    monitor: PluginMonitor | None = state.get("monitor")
    if monitor is not None:
        bridge.disconnect_monitor()
        monitor.stop(STOP_TIMEOUT)
    return 2 if "error" in state else code
