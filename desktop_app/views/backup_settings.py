"""The Backups part of the Settings page (R19, R23): the schedule, the keep
policy, the folder and encryption, with what turning encryption on asks of
the operator (to export the key) said where they turn it on."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QWidget

from desktop_app.config import BackupSettings
from desktop_app.views.setting_boxes import int_box, number_box


def tr(text: str) -> str:
    return QCoreApplication.translate("Settings", text)


class BackupSettingsForm(QWidget):
    def __init__(self) -> None:
        super().__init__()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.interval = number_box("backup.interval_hours", tr(" h"))
        self.interval.setSpecialValueText(tr("only on demand"))
        form.addRow(tr("Back up every"), self.interval)
        self.keep = {
            period: int_box(f"backup.keep_{period}") for period in ("hourly", "daily", "weekly")
        }
        form.addRow(tr("Keep the newest of the last hours"), self.keep["hourly"])
        form.addRow(tr("… of the last days"), self.keep["daily"])
        form.addRow(tr("… of the last weeks"), self.keep["weekly"])
        self.directory = QLineEdit()
        self.directory.setPlaceholderText(tr("backups/ in the data folder"))
        self.directory.setMaximumWidth(480)
        form.addRow(tr("Backup folder"), self.directory)
        self.encrypt = QCheckBox(tr("Encrypt backups (AES-256-GCM)"))
        form.addRow("", self.encrypt)
        self.export_hint = QLabel(
            tr(
                "The key is made by the first encrypted backup and kept in this machine's "
                "keyring, and it dies with this machine: export it with "
                "plugin-monitor backup export-key and keep it somewhere else."
            )
        )
        self.export_hint.setWordWrap(True)
        self.export_hint.setStyleSheet("color: #b35c00;")
        form.addRow("", self.export_hint)
        self.encrypt.toggled.connect(self.export_hint.setVisible)
        self.export_hint.setVisible(False)

    def load(self, settings: BackupSettings) -> None:
        self.interval.setValue(settings.interval_hours)
        for period, box in self.keep.items():
            box.setValue(getattr(settings, f"keep_{period}"))
        self.directory.setText(settings.directory)
        self.encrypt.setChecked(settings.encrypt)

    def values(self) -> dict[str, object]:
        """The form as dotted settings, for the page's one Apply."""
        return {
            "backup.interval_hours": self.interval.value(),
            **{f"backup.keep_{period}": box.value() for period, box in self.keep.items()},
            "backup.directory": self.directory.text().strip(),
            "backup.encrypt": self.encrypt.isChecked(),
        }
