"""`plugin-monitor` (and `plugin-monitor gui`): the desktop console.

The monitor is opened and started in the background while the window shows;
a fault (folder, settings, database, a second instance) is shown in a dialog
and the program exits with code 2.
"""

from __future__ import annotations

import linecache
import locale
import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import bundled
from desktop_app.config import SettingsFile
from desktop_app.errors import DatabaseError, InstanceLockedError, OperatorError
from desktop_app.logs import configure_logging, ensure_logging_conf
from desktop_app.models.levels import AlertLevel
from desktop_app.paths import DataPaths
from desktop_app.services.secrets import SecretStore
from desktop_app.views.bridge import CoreBridge
from desktop_app.views.main_window import MainWindow
from desktop_app.views.operator import console_actor
from desktop_app.views.remote_console import (
    RemoteWindow,
    ask_and_connect,
    connect_in_background,
    key_name,
    show_remote,
)
from desktop_app.views.start_recovery import newest_backup, offer_newest_backup, restore_newest
from desktop_app.views.style import app_icon, apply_theme
from desktop_app.views.tasks import run_in_background

if TYPE_CHECKING:
    from desktop_app.services.remote.monitor import RemoteMonitor
    from desktop_app.services.runtime import PluginMonitor

log = logging.getLogger("plugin_monitor.views")

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
    path = bundled.translation(language)
    if translator.load(str(path)):
        app.installTranslator(translator)
        log.info("console language %s, from %s", language, path)
        return translator
    log.warning("no %s translation found at %s", language, path)
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
    window, bridge = _new_window(app, data_dir, MainWindow, "console.ini")
    state: dict[str, Any] = {"remotes": []}
    window.connect_requested.connect(lambda: connect_beside(app, window, data_dir, state))

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

        # PySide6's import hook (shibokensupport's feature module) inspects each
        # importing module with its source lines, which stay in linecache: 785
        # files, 413,000 lines, 43 MiB of the console's heap (bench_soak.py).
        linecache.clearcache()
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


def _new_window(
    app: QApplication, data_dir: Path, kind: type[MainWindow], ui_file: str
) -> tuple[MainWindow, CoreBridge]:
    """A window of `kind` in the language, theme and tray level the data
    folder's settings choose; its size and layout kept in `ui_file`."""
    paths = DataPaths(data_dir)
    paths.prepare()
    settings_file = SettingsFile(paths.settings_file)
    settings_file.ensure_exists()
    settings = settings_file.load()
    if app.property("language") is None:  # once per program: the first window's choice
        app.setProperty("language", choose_language(settings.console.language))
        install_translator(app, app.property("language"))
        apply_theme(app, settings.console.theme)
    ui_state = QSettings(str(paths.config_dir / ui_file), QSettings.Format.IniFormat)
    bridge = CoreBridge()
    return kind(bridge, ui_state, AlertLevel.parse(settings.console.tray_level)), bridge


def remote_window(
    app: QApplication,
    data_dir: Path,
    remote: RemoteMonitor,
    state: dict[str, Any],
    *,
    beside: bool,
) -> MainWindow:
    """A window on `remote`: beside the embedded console (closing it
    disconnects), or the console's only window (`--connect`)."""
    window, _bridge = _new_window(
        app, data_dir, RemoteWindow if beside else MainWindow, "console-remote.ini"
    )
    if isinstance(window, RemoteWindow):
        window.remote = remote
    state["remotes"].append(remote)
    show_remote(window, remote)
    window.connect_requested.connect(lambda: connect_beside(app, window, data_dir, state))
    window.show()
    return window


def connect_beside(
    app: QApplication, parent: MainWindow, data_dir: Path, state: dict[str, Any]
) -> None:
    """File, Connect to monitor…: the monitor opens in a window of its own."""
    ask_and_connect(
        parent,
        SecretStore(data_dir),
        lambda remote: state.setdefault("windows", []).append(
            remote_window(app, data_dir, remote, state, beside=True)
        ),
    )


def connect_only(
    app: QApplication, data_dir: Path, url: str, key: str | None, state: dict[str, Any]
) -> None:
    """`--connect URL`: the console on that monitor alone. The key: given,
    else kept in the secret store for that URL, else asked for."""
    store = SecretStore(data_dir)
    key = key or store.get(key_name(url))

    def opened(remote: RemoteMonitor) -> None:
        state["window"] = remote_window(app, data_dir, remote, state, beside=False)

    def failed(message: str) -> None:
        state["error"] = message
        QMessageBox.critical(None, "Plugin Monitor", message)
        app.exit(2)

    if key is None:
        if not ask_and_connect(None, store, opened, url, failed=failed):
            app.exit(0)  # the operator cancelled: nothing to show
        return
    connect_in_background(app, store, url, key, remember=False, connected=opened, failed=failed)


def quit_on_signals(app: QApplication, quit_console: Callable[[], object]) -> None:
    """SIGINT and SIGTERM close the console cleanly (the monitor is stopped and
    everything acknowledged is kept). Qt's loop does not return to Python on
    its own, so a short timer lets Python's signal handlers run."""

    def request_quit(_signum: int, _frame: object) -> None:
        quit_console()

    signal.signal(signal.SIGINT, request_quit)
    signal.signal(signal.SIGTERM, request_quit)
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(200)


def run_gui(
    data_dir: Path,
    *,
    interval: float | None = None,
    api: dict[str, Any] | None = None,
    connect: str | None = None,
    connect_key: str | None = None,
) -> int:
    """The console on the embedded monitor, or with `connect` on the monitor
    at that URL alone (`connect_key`: its key, else the one kept for it)."""
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
    app.setDesktopFileName(bundled.DESKTOP_ID)  # the Wayland app id: the desktop entry's icon
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)
    if connect is not None:
        state: dict[str, Any] = {"remotes": []}
        QTimer.singleShot(0, lambda: connect_only(app, data_dir, connect, connect_key, state))
        # Before the window opens (connecting, or the key asked for) a signal quits at once.
        quit_on_signals(app, lambda: state["window"].quit() if "window" in state else app.quit())
        code = app.exec()
    else:
        window, bridge, state = build_window(app, data_dir, interval=interval, api=api)
        window.show()
        quit_on_signals(app, window.quit)
        code = app.exec()
        monitor: PluginMonitor | None = state.get("monitor")
        if monitor is not None:
            bridge.disconnect_monitor()
            monitor.stop(STOP_TIMEOUT)
    for remote in state["remotes"]:
        remote.stop(STOP_TIMEOUT)
    return 2 if "error" in state else code
