"""A console started on a damaged database offers the newest backup, says
what restoring it gives up, and starts on it when the operator agrees."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.paths import DATABASE_NAME
from desktop_app.services.runtime import PluginMonitor
from desktop_app.views.app import build_window
from tests.helpers import NO_API, push
from tests.views.test_restore_dialog import answer_the_question


def backed_up_then_damaged(data_dir: Path) -> str:
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(
        '[api]\nenabled = false\n[console]\nlanguage = "en"\n'
    )
    monitor = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    monitor.start(monitoring=False)
    try:
        push(monitor, "app", cpu_percent=12.0)
        name = monitor.backups.back_up_now(actor="test").result(30).name
    finally:
        monitor.stop()
    with (data_dir / DATABASE_NAME).open("r+b") as file:
        file.write(b"\xff" * 100)  # the header: "file is not a database"
    return name


def test_a_damaged_database_at_start_is_restored_from_the_newest_backup(
    qtbot: QtBot, qapp: object, data_dir: Path
) -> None:
    backed_up_then_damaged(data_dir)
    answer_the_question(QMessageBox.StandardButton.Yes, asking="Restore the newest backup, taken")
    window, bridge, state = build_window(qapp, data_dir)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "monitor" in state or "error" in state, timeout=20_000)
    assert "error" not in state, state.get("error")
    monitor: PluginMonitor = state["monitor"]
    try:
        assert monitor.registry.get("app") is not None, "the backup's data"
        (aside,) = data_dir.glob(f"{DATABASE_NAME}.before-restore-*")
        assert aside.read_bytes()[:100] == b"\xff" * 100, "the damaged file is kept as it was"
    finally:
        bridge.disconnect_monitor()
        monitor.stop()
        window.quitting = True
