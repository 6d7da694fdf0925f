"""Empty states that say what to do next, with the exact commands to run and
a button that copies them."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from desktop_app.paths import ENV_DATABASE_URL, resolve_data_dir
from desktop_app.services.storage.postgres import without_password

API = "/api/advanced-monitoring"


def tr(text: str) -> str:
    return QCoreApplication.translate("EmptyState", text)


def cli(command: str, data_dir: Path) -> str:
    """A `plugin-monitor` command, naming the data folder unless it is the
    default, and the PostgreSQL database this run was pointed at (without its
    password: libpq finds that in ~/.pgpass or PGPASSWORD), which the folder's
    settings may not name."""
    words = f"plugin-monitor {command}"
    if data_dir.resolve() != resolve_data_dir().resolve():
        words += f" --data-dir {shlex.quote(str(data_dir))}"
    if url := os.environ.get(ENV_DATABASE_URL):
        words += f" --database-url {shlex.quote(without_password(url))}"
    return words


def first_push_commands(api_url: str, data_dir: Path) -> str:
    """A key, a plugin and its first sample: the commands, runnable as shown."""
    post = (
        "curl -sS --fail-with-body -w '\\n' -X POST "
        '-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json"'
    )
    return "\n".join(
        (
            f"TOKEN=$({cli('keys create --role operator --name my-app', data_dir)})",
            f"{post} {api_url}{API}/register-plugin \\",
            """  -d '{"plugin_id": "my_app", "plugin_name": "My app"}'""",
            f"{post} {api_url}{API}/update-metrics \\",
            """  -d '{"plugin_id": "my_app", "metrics": {"cpu_usage": 12.5}}'""",
        )
    )


def follow_command(data_dir: Path) -> str:
    return cli("alerts --follow", data_dir)


class EmptyState(QFrame):
    """A title, what to do, and the commands with a Copy button."""

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.setObjectName("emptyState")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(f"<b>{title}</b>")
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.commands = QPlainTextEdit()
        self.commands.setReadOnly(True)
        self.commands.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.commands.setMaximumHeight(110)
        self.copy = QPushButton(tr("Copy commands"))
        self.copy.clicked.connect(self._copy)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.text, self.commands):
            layout.addWidget(widget)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.copy)
        layout.addLayout(row)

    def set_commands(self, commands: str) -> None:
        self.commands.setPlainText(commands)
        self.commands.setVisible(bool(commands))
        self.copy.setVisible(bool(commands))

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.commands.toPlainText())
        self.copy.setText(tr("Copied"))
