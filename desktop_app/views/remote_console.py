"""The console on a monitor on another machine: "Connect to monitor…" and
`plugin-monitor --connect URL`.

A remote monitor fills the same pages as the embedded one (dashboard,
plugins, analytics, alerts with their actions) through its API and stream.
What only its own machine can do (its settings file, keys, audit trail,
backups, plugin folders) is said so, with the command to run there. The key
is kept in the secret store under the monitor's URL, never in settings.toml.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.secrets import SecretStore
from desktop_app.views.empty_state import EmptyState
from desktop_app.views.main_window import MainWindow
from desktop_app.views.settings_page import SettingsParts
from desktop_app.views.tasks import run_in_background

if TYPE_CHECKING:
    from desktop_app.services.remote.monitor import RemoteMonitor

log = logging.getLogger("plugin_monitor.views")

STOP_TIMEOUT = 5.0
MACHINE_COMMANDS = (
    "plugin-monitor backup\n"
    "plugin-monitor backup --list\n"
    "plugin-monitor restore NAME\n"
    "plugin-monitor plugins install PATH\n"
    'curl -H "Authorization: Bearer $KEY" -o PLUGIN.csv '
    '"{url}/api/advanced-monitoring/export/PLUGIN?hours=24&format=csv"'
)
ADMIN_KEY_COMMAND = "plugin-monitor keys create --role admin --name console"
KEYS_COMMANDS = "plugin-monitor keys list\nplugin-monitor keys create --role viewer"


def tr(text: str) -> str:
    return QCoreApplication.translate("RemoteConsole", text)


def key_name(url: str) -> str:
    """The secret store's name for a remote monitor's key (a URL holds
    characters a file name of the fallback store cannot)."""
    return "remote-key-" + hashlib.sha256(url.rstrip("/").encode()).hexdigest()[:16]


class ConnectDialog(QDialog):
    """A monitor's URL and key; the key is remembered in the secret store."""

    def __init__(self, parent: QWidget | None, url: str = "", key: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Connect to monitor"))
        form = QFormLayout(self)
        self.url = QLineEdit(url)
        self.url.setPlaceholderText("https://web01.internal:5000")
        self.key = QLineEdit(key)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(tr("an API key of that monitor (plugin-monitor keys create)"))
        self.remember = QCheckBox(tr("Remember the key in the secret store"))
        self.remember.setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Connect"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(tr("Monitor URL:"), self.url)
        form.addRow(tr("API key:"), self.key)
        form.addRow(self.remember)
        form.addRow(buttons)
        self.resize(520, self.sizeHint().height())

    def chosen(self) -> tuple[str, str]:
        return self.url.text().strip().rstrip("/"), self.key.text().strip()


def connect_in_background(
    owner: QObject,
    store: SecretStore,
    url: str,
    key: str,
    *,
    remember: bool,
    connected: Callable[[RemoteMonitor], None],
    failed: Callable[[str], None],
) -> None:
    """Check the key and read the first snapshot off the UI thread; the key
    is remembered only once the monitor has taken it."""

    def open_remote() -> RemoteMonitor:
        from desktop_app.services.remote.monitor import RemoteMonitor

        remote = RemoteMonitor.connect(url, key)
        if remember:
            store.set(key_name(remote.url), key)
        remote.start()
        return remote

    run_in_background(open_remote, connected, failed, owner=owner)


def show_remote(window: MainWindow, remote: RemoteMonitor) -> None:
    """Fill `window` from `remote`: the pages it can show, and for the rest
    what to run on its machine."""
    window.shown_name = remote.name
    window.show_monitor(remote, None)
    window.dashboard.load_history(remote)
    window.tray.monitor_name = remote.name
    if window.tray.icon is not None:
        window.tray.monitoring_action.setEnabled(False)
    window.dashboard.toggle.setEnabled(False)
    window.dashboard.toggle.setToolTip(
        tr("Collection is paused and resumed on the monitor's machine (plugin-monitor)")
    )
    _on_its_machine(window, window.keys_page, tr("API keys"), KEYS_COMMANDS, remote.name)
    if remote.is_admin:
        window.settings_page.attach(
            SettingsParts(
                remote.settings_service,
                remote.thresholds,
                remote.registry,
                remote.backtests,
                remote.webhooks,
                remote.webhook_delivery,
            )
        )
        window.settings_page.load()
        window.audit_page.attach(remote.audit)
        window.audit_page.reload()
    else:
        for page, title in (
            (window.settings_page, tr("Settings")),
            (window.audit_page, tr("Audit")),
        ):
            _needs_admin(window, page, title, remote)
    window.status.api.setText(tr("Key role: {role}").format(role=remote.role))
    connection = QTimer(window)
    connection.timeout.connect(lambda: _show_connection(window, remote))
    connection.start(1000)
    _show_connection(window, remote)
    for action in window.local_actions:
        action.triggered.disconnect()  # they act on files of this machine's monitor
        action.triggered.connect(
            lambda _=False, shown=action: _done_on_its_machine(window, remote, shown.text())
        )
    window.bridge.connect_monitor(remote)
    window.refresh_plugins()
    window.alerts.reload()
    window.refresh_status()


def _show_connection(window: MainWindow, remote: RemoteMonitor) -> None:
    """Connected, or what is wrong with the connection now, in red."""
    problem = remote.connection_problem
    window.status.monitoring.setText(
        tr("Connected to {name}").format(name=remote.name)
        if problem is None
        else tr("Not connected: {problem}").format(problem=problem)
    )
    window.status.monitoring.setStyleSheet("" if problem is None else "color: #c81d25;")


def _on_its_machine(
    window: MainWindow, page: QWidget, title: str, commands: str, name: str
) -> None:
    """API keys are made and revoked on the monitor's own machine only."""
    text = tr(
        "API keys are made and revoked on the monitor's own machine. For the monitor at "
        "{name}, run these there:"
    ).format(name=name)
    _notice(window, page, tr("{page} of {name}").format(page=title, name=name), text, commands)


def _done_on_its_machine(window: QWidget, remote: RemoteMonitor, action: str) -> QMessageBox:
    """Export, installs, backups and restores work on files of the monitor's
    own machine: said, with the commands that do them there."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        tr("On the monitor's machine"),
        tr(
            "“{action}” works on files of the monitor's own machine. For the monitor at "
            "{name}, do it there (the commands are below, under Show Details)."
        ).format(action=action.replace("&", "").rstrip("…"), name=remote.name),
        QMessageBox.StandardButton.Ok,
        window,
    )
    box.setDetailedText(MACHINE_COMMANDS.format(url=remote.url))
    box.open()
    return box


def _needs_admin(window: MainWindow, page: QWidget, title: str, remote: RemoteMonitor) -> None:
    text = tr(
        "The key this console connected with has the {role} role; {page} of the monitor at "
        "{name} needs an admin key. Make one on its machine, then connect again with it:"
    ).format(role=remote.role, page=title, name=remote.name)
    heading = tr("{page} of {name}").format(page=title, name=remote.name)
    _notice(window, page, heading, text, ADMIN_KEY_COMMAND)


def _notice(window: MainWindow, page: QWidget, title: str, text: str, commands: str) -> None:
    """`page` replaced by a notice saying what to do instead."""
    notice = EmptyState(title, text)
    notice.set_commands(commands)
    shown = QWidget()
    column = QVBoxLayout(shown)
    column.addWidget(notice)
    column.addStretch(1)
    index = window.pages.indexOf(page)
    window.pages.removeWidget(page)
    window.pages.insertWidget(index, shown)
    page.setParent(shown)
    page.hide()


class RemoteWindow(MainWindow):
    """A window on a remote monitor opened beside the embedded one: closing it
    disconnects from that monitor and leaves the rest of the console running."""

    remote: RemoteMonitor | None = None

    def closeEvent(self, event: QCloseEvent) -> None:
        self.window_state.save(self, self.nav)
        event.accept()
        if self.tray.icon is not None:
            self.tray.icon.hide()
        remote, self.remote = self.remote, None
        if remote is not None:
            self.bridge.disconnect_monitor()
            run_in_background(lambda: remote.stop(STOP_TIMEOUT), lambda _: None, owner=self.bridge)
        self.deleteLater()

    def quit(self) -> None:
        self.close()


def ask_and_connect(
    parent: QWidget | None,
    store: SecretStore,
    opened: Callable[[RemoteMonitor], None],
    url: str = "",
    *,
    failed: Callable[[str], None] | None = None,
) -> bool:
    """The Connect dialog (the key kept for `url` filled in); False when the
    operator cancels it."""
    dialog = ConnectDialog(parent, url, (store.get(key_name(url)) or "") if url else "")
    while dialog.exec() == QDialog.DialogCode.Accepted:
        chosen_url, key = dialog.chosen()
        if chosen_url and key:
            connect_in_background(
                parent or QCoreApplication.instance() or dialog,
                store,
                chosen_url,
                key,
                remember=dialog.remember.isChecked(),
                connected=opened,
                failed=failed or (lambda message: _refused(parent, message)),
            )
            return True
        QMessageBox.warning(
            dialog, tr("Connect to monitor"), tr("Give the monitor's URL and a key.")
        )
    return False


def _refused(parent: QWidget | None, message: str) -> None:
    QMessageBox.critical(parent, tr("Connect to monitor"), message)
