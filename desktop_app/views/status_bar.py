"""The status bar's permanent labels: health, monitoring, API, database,
last sample, newest backup and tray, each said as it is now."""

from __future__ import annotations

import time
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar

from desktop_app.models.health import HealthSnapshot
from desktop_app.models.problems import Problem


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def problem_text(problem: Problem) -> str:
    """What the status bar says; the notice every start on a machine without a
    keyring gives is said in the console's language (the log has the details)."""
    if problem.source == "secrets":
        return tr(
            "Secrets are kept in files in the data folder (owner only), not in an OS "
            "keyring: install and unlock one (e.g. gnome-keyring) to keep them there."
        )
    return problem.message


class StatusLabels:
    def __init__(self, bar: QStatusBar) -> None:
        self.monitoring = QLabel(tr("Starting…"))
        self.api = QLabel()
        self.database = QLabel()
        self.last = QLabel()
        self.backup = QLabel()
        self.tray = QLabel()
        self.health = QLabel()
        for label in (
            self.health,
            self.monitoring,
            self.api,
            self.database,
            self.last,
            self.backup,
            self.tray,
        ):
            bar.addPermanentWidget(label)

    def show_api(self, scheme: str, host: str, port: int) -> None:
        self.api.setText(
            tr("API {scheme}://{host}:{port}").format(scheme=scheme, host=host, port=port)
        )

    def show_monitoring(self, on: bool, interval: float, last_sample: float | None) -> None:
        self.monitoring.setText(
            tr("Monitoring on (every {s:g} s)").format(s=interval) if on else tr("Monitoring off")
        )
        if last_sample:
            moment = time.strftime("%H:%M:%S", time.localtime(last_sample))
            self.last.setText(tr("Last sample {time}").format(time=moment))

    def health_unknown(self, why: str) -> None:
        """The monitor did not answer (a remote one, disconnected): not called healthy."""
        self.health.setText(tr("Health unknown"))
        self.health.setStyleSheet("color: #c81d25; font-weight: bold;")
        self.health.setToolTip(why)

    def show_health(self, health: HealthSnapshot) -> None:
        """The core's one health snapshot, as the API's health shows it too."""
        on_server = health.database_path.startswith("postgresql")
        if health.database_bytes is None:
            self.database.setText(tr("PostgreSQL: no answer"))
        elif on_server:
            self.database.setText(
                tr("PostgreSQL {mb:.1f} MB").format(mb=health.database_bytes / 1e6)
            )
        else:
            self.database.setText(tr("Database {mb:.1f} MB").format(mb=health.database_bytes / 1e6))
        self.database.setToolTip(health.database_path)
        if health.ok:
            self.health.setText(tr("Healthy"))
            self.health.setStyleSheet("")
        else:
            self.health.setText(
                tr("{n} problems").format(n=len(health.problems))
                if len(health.problems) > 1
                else tr("1 problem")
            )
            self.health.setStyleSheet("color: #c81d25; font-weight: bold;")
        self.health.setToolTip("\n".join(health.problems))
        backups = next((w for w in health.workers if w.name == "backups"), None)
        if backups is not None:
            self.show_backup(backups.details)

    def show_backup(self, details: Mapping[str, object]) -> None:
        """The newest backup's age, red when backups are overdue."""
        age = details.get("newest_backup_age_hours")
        left_to = details.get("left_to_server")
        self.backup.setText(
            tr("Backups by PostgreSQL's tools")
            if left_to
            else tr("No backup yet")
            if not isinstance(age, int | float)
            else tr("Backup {hours:.1f} h ago").format(hours=age)
        )
        self.backup.setToolTip(str(left_to or details.get("directory", "")))
        overdue = details.get("backup_overdue") is True
        self.backup.setStyleSheet("color: #c81d25; font-weight: bold;" if overdue else "")
