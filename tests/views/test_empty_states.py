"""Empty states say what to do next, and their commands work as shown: run
in a shell against the console's own API, they make the first plugin appear."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.paths import ENV_DATABASE_URL
from desktop_app.views.empty_state import cli, first_push_commands
from desktop_app.views.main_window import MainWindow
from tests.helpers import push, require_tools
from tests.views.conftest import Console


def test_the_dashboards_commands_push_a_first_plugin(
    console_with_api: tuple[MainWindow, str], qtbot: QtBot, data_dir: Path
) -> None:
    require_tools("curl", "bash")
    window, base = console_with_api
    empty = window.dashboard.empty
    assert empty.isVisible(), "only the host: the dashboard says how to add a plugin"
    commands = empty.commands.toPlainText()
    assert commands == first_push_commands(base, data_dir)
    assert f"--data-dir {data_dir}" in commands and base in commands
    empty.copy.click()
    assert QApplication.clipboard().text() == commands
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", commands],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert '"status":"stored"' in result.stdout.splitlines()[-1].replace(" ", "")
    window.refresh_plugins()
    qtbot.waitUntil(lambda: "my_app" in window.dashboard.cards, timeout=5000)
    assert not empty.isVisible(), "a plugin reports: the hint is gone"


def test_the_alert_list_says_why_it_is_empty(console: Console, qtbot: QtBot) -> None:
    window = console.window
    page = window.alerts
    window.show_page(page)
    qtbot.waitUntil(lambda: page.table_or_empty.currentWidget() is page.empty, timeout=5000)
    assert "No open alerts" in page.empty.title.text()
    assert page.empty.commands.toPlainText().startswith("plugin-monitor alerts --follow")
    page.level.setCurrentIndex(1)  # a level filter
    qtbot.waitUntil(lambda: "filters" in page.empty.title.text(), timeout=5000)
    assert not page.empty.copy.isVisibleTo(page.empty)
    page.level.setCurrentIndex(0)
    push(console.monitor, cpu_percent=99)
    console.monitor.engine.flush().result(10)
    qtbot.waitUntil(lambda: page.table_or_empty.currentWidget() is page.table, timeout=5000)


def test_a_command_names_the_postgresql_database_of_this_run_without_its_password(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pointed there by --database-url, the folder's settings do not name it: a
    `keys create` without it would make a key in the folder's SQLite file."""
    monkeypatch.setenv(ENV_DATABASE_URL, "postgresql://pm:secret@db.internal:5432/pm")
    command = cli("keys create --role operator", data_dir)
    assert command.endswith("--database-url postgresql://pm@db.internal:5432/pm")
    assert "secret" not in command
