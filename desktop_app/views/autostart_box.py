"""The Settings page's "Start the console when I log in": it reads and
writes the XDG autostart entry itself (see `desktop_app.autostart`), at once
and off the UI thread, and says what it did or why it could not."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QCheckBox

from desktop_app import autostart
from desktop_app.views.tasks import run_in_background


def tr(text: str) -> str:
    return QCoreApplication.translate("Settings", text)


class AutostartBox(QCheckBox):
    """Hidden until `attach` gives it this console's data folder: a remote
    monitor's window has no such choice to make."""

    status_message = Signal(str)
    problem = Signal(str)

    def __init__(self) -> None:
        super().__init__(tr("Start the console when I log in"))
        self.data_dir: Path | None = None
        self.setVisible(False)
        self.toggled.connect(self._switch)

    def attach(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.setVisible(True)
        if not autostart.supported():
            self.setEnabled(False)
            self.setToolTip(tr("Linux only: use this system's own startup settings"))
            return
        self.setToolTip(str(autostart.entry_path()))
        self.blockSignals(True)
        self.setChecked(autostart.is_on())
        self.blockSignals(False)

    def _switch(self, on: bool) -> None:
        data_dir = self.data_dir
        if data_dir is None:
            return

        def switch() -> Path:
            return autostart.turn_on(data_dir) if on else autostart.turn_off()

        def switched(path: Path) -> None:
            self.status_message.emit(
                tr("The console starts when you log in ({path})").format(path=path)
                if on
                else tr("The console no longer starts when you log in")
            )

        def failed(message: str) -> None:
            self.blockSignals(True)
            self.setChecked(autostart.is_on())  # what is true, not what was asked for
            self.blockSignals(False)
            self.problem.emit(message)

        run_in_background(switch, switched, failed, owner=self)
