"""Plugin control in the console: states on cards and rows, the buttons a
state allows, the log viewer, Stop all, invalid manifests."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.services.plugins.conftest import PYTHON, add_plugin
from tests.views.conftest import Console

SCRIPT = "import time\nprint('worker ready', flush=True)\ntime.sleep(600)\n"
RUN = f'[run]\ncommand = ["{PYTHON}", "main.py"]\nrestart = "never"\n'


def select(console: Console, key: str) -> None:
    page = console.window.plugins
    model, proxy = page.model, page.proxy
    row = next(r for r in range(model.row_total()) if model.key_at(r) == key)
    page.table.selectRow(proxy.mapFromSource(model.index(row, 0)).row())


def process_cell(console: Console, key: str) -> str:
    model = console.window.plugins.model
    row = next(r for r in range(model.row_total()) if model.key_at(r) == key)
    return str(model.data(model.index(row, 8)))


@pytest.mark.expect_log_warnings
def test_the_console_shows_and_controls_a_supervised_plugin(
    console: Console, qtbot: QtBot, data_dir: Path
) -> None:
    add_plugin(data_dir, "worker", RUN, SCRIPT)  # taken up while the console runs
    window, control = console.window, console.monitor.plugins
    qtbot.waitUntil(lambda: "worker" in window.dashboard.cards, timeout=10_000)
    qtbot.waitUntil(lambda: process_cell(console, "worker").startswith("running (pid "))
    card = window.dashboard.cards["worker"]
    assert card.state.text() == "ok"
    pid = control.state("worker").pid
    assert pid is not None
    log = data_dir / "logs" / "plugins" / "worker.log"
    # Killed only once it has spoken: "running" is shown from the spawn, before
    # Python has started (a kill in between left one line in the log, not two).
    qtbot.waitUntil(lambda: "worker ready" in log.read_text(), timeout=10_000)
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: card.state.text() == "crashed", timeout=10_000)
    select(console, "worker")
    buttons = window.plugins.control_row.buttons
    assert buttons["start"].isEnabled() and buttons["restart"].isEnabled()
    assert not buttons["enable"].isEnabled() and buttons["disable"].isEnabled()
    buttons["start"].click()
    qtbot.waitUntil(lambda: process_cell(console, "worker").startswith("running"), timeout=10_000)
    assert buttons["stop"].isEnabled() and not buttons["start"].isEnabled()
    dialog = window.plugins.control_row.show_log()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.text.toPlainText().count("worker ready") == 2, timeout=10_000)
    dialog.close()
    window.plugins.control_row.stop_all()
    qtbot.waitUntil(lambda: card.state.text() == "stopped", timeout=10_000)
    assert process_cell(console, "worker") == "stopped"


@pytest.mark.expect_log_warnings
def test_an_invalid_manifest_is_shown_with_its_reason(
    console: Console, qtbot: QtBot, data_dir: Path
) -> None:
    add_plugin(data_dir, "broken", "[run]\ncommand = []\n")
    label = console.window.plugins.invalid
    qtbot.waitUntil(lambda: not label.isHidden(), timeout=10_000)
    assert "Invalid manifest, not started:" in label.text()
    assert "run.command must be a command" in label.text()
