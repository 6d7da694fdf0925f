"""The plugin page's control row (R16): start, stop, restart, enable, disable,
the plugin's log, and Stop all with a confirmation. Each action runs off the
UI thread (a stop waits for the plugin to end); only the actions the selected
plugin's state allows are offered."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QWidget

from desktop_app.models.plugins import PluginInfo
from desktop_app.models.supervision import PluginStatus
from desktop_app.views.plugin_log import PluginLogDialog
from desktop_app.views.plugin_states import state_text
from desktop_app.views.tasks import run_in_background

if TYPE_CHECKING:
    from desktop_app.views.sources import Control


def tr(text: str) -> str:
    return QCoreApplication.translate("Plugins", text)


class PluginActions(QWidget):
    status_message = Signal(str)
    changed = Signal()  # an action changed a plugin: show the states again

    def __init__(self) -> None:
        super().__init__()
        self.control: Control | None = None
        self.logs_dir: Path | None = None
        self.key: str | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.buttons = {
            action: QPushButton(text)
            for action, text in (
                ("start", tr("Start")),
                ("stop", tr("Stop")),
                ("restart", tr("Restart")),
                ("enable", tr("Enable")),
                ("disable", tr("Disable")),
            )
        }
        for action, button in self.buttons.items():
            button.clicked.connect(lambda _=False, action=action: self.act(action))
            row.addWidget(button)
        self.log_button = QPushButton(tr("Log…"))
        self.log_button.clicked.connect(self.show_log)
        row.addWidget(self.log_button)
        row.addStretch(1)
        self.stop_all_button = QPushButton(tr("Stop all…"))
        self.stop_all_button.clicked.connect(self.confirm_stop_all)
        row.addWidget(self.stop_all_button)
        self.offer(None, None, None)

    def attach(self, control: Control, logs_dir: Path | None) -> None:
        self.control, self.logs_dir = control, logs_dir

    def offer(self, key: str | None, process: PluginStatus | None, info: PluginInfo | None) -> None:
        """The selected plugin: its state decides which buttons work."""
        self.key = key
        state = process.state.value if process else None
        can = {
            "start": state in ("stopped", "crashed", "crash_loop"),
            "stop": state in ("running", "starting", "crashed"),
            "restart": state in ("running", "starting", "stopped", "crashed", "crash_loop"),
            "enable": info is not None and not info.enabled,
            "disable": info is not None and info.enabled,
        }
        for action, button in self.buttons.items():
            button.setEnabled(can[action])
        self.log_button.setEnabled(process is not None and self.logs_dir is not None)
        self.log_button.setToolTip(
            "" if self.logs_dir is not None else tr("Plugin logs are on the monitor's machine")
        )

    def act(self, action: str) -> None:
        key, control = self.key, self.control
        if key is None or control is None:
            return
        for button in self.buttons.values():
            button.setEnabled(False)  # until the state after this action is shown
        run_in_background(
            lambda: control.act(action, key, actor="console"),
            self._acted,
            self._refused,
            owner=self,
        )

    def _acted(self, status: PluginStatus) -> None:
        state = state_text(status.state.value)
        self.status_message.emit(
            tr("Plugin {key}: {state}").format(key=status.plugin_id, state=state)
        )
        self.changed.emit()

    def _refused(self, message: str) -> None:
        self.status_message.emit(message)
        self.changed.emit()

    def confirm_stop_all(self) -> None:
        answer = QMessageBox.question(
            self,
            tr("Stop all plugins"),
            tr("Stop every plugin Plugin Monitor runs? They stay stopped until you start them."),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.stop_all()

    def stop_all(self) -> None:
        control = self.control
        if control is None:
            return
        run_in_background(
            lambda: control.stop_all(actor="console"),
            lambda stopped: self._stopped_all(len(stopped)),
            self._refused,
            owner=self,
        )

    def _stopped_all(self, count: int) -> None:
        self.status_message.emit(tr("{count} plugin(s) stopped").format(count=count))
        self.changed.emit()

    def show_log(self) -> PluginLogDialog | None:
        if self.key is None or self.logs_dir is None:
            return None
        dialog = PluginLogDialog(self.key, self.logs_dir / f"{self.key}.log", self)
        dialog.show()
        return dialog
