"""The export dialog writes files identical to the stored rows, off the UI thread."""

from __future__ import annotations

import csv
import json
import sqlite3
import time
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.views.export_dialog import ExportDialog
from tests.views.conftest import Console


def stored_rows(console: Console) -> list[tuple[str, int, float]]:
    with sqlite3.connect(console.monitor.paths.database) as conn:
        return conn.execute(
            "SELECT plugin, ts, cpu_percent FROM samples_readable WHERE plugin = 'app' ORDER BY ts"
        ).fetchall()


def micros(iso: str) -> int:
    moment = datetime.fromisoformat(iso)
    assert moment.utcoffset() is not None, "ISO 8601 with a zone"
    return round(moment.timestamp() * 1_000_000)


def fifty_minutes_of_app(console: Console) -> float:
    """A sample a second for the last 3,000 s; returns now."""
    console.monitor.registry.register("app", "App", PluginSource.API)
    now = time.time()
    console.monitor.ingest(
        [Sample("app", now - 3000 + i, cpu_percent=float(i % 90)) for i in range(3000)]
    ).result(10)
    return now


def test_the_dialog_writes_csv_and_json_identical_to_the_stored_rows(
    console: Console, qtbot: QtBot, tmp_path: Path
) -> None:
    fifty_minutes_of_app(console)
    expected = stored_rows(console)
    for fmt in ("csv", "json"):
        dialog = ExportDialog(console.monitor, console.window)
        qtbot.addWidget(dialog)
        dialog.choose_plugins(["app"])
        (dialog.json if fmt == "json" else dialog.csv).setChecked(True)
        target = tmp_path / f"out.{fmt}"
        dialog.path.setText(str(target))
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda d=dialog: d.rows_written is not None, timeout=10_000)
        assert dialog.rows_written == len(expected) == 3000
        assert dialog.outcome.text() == f"Wrote 3000 rows to {target}"
        if fmt == "csv":
            with target.open(newline="") as handle:
                rows = [
                    (r["plugin_id"], micros(r["timestamp"]), float(r["cpu_percent"]))
                    for r in csv.DictReader(handle)
                ]
        else:
            rows = [
                (r["plugin_id"], micros(r["timestamp"]), r["cpu_percent"])
                for r in json.loads(target.read_text())
            ]
        assert rows == expected
        dialog.close()


@pytest.mark.expect_log_warnings
@pytest.mark.expect_log_warnings  # the dropped table: "another program changed the schema"
def test_an_unexpected_database_fault_ends_the_export_with_a_message(
    console: Console, qtbot: QtBot, tmp_path: Path
) -> None:
    """Not an operator's mistake but a broken database (a side table gone):
    the dialog says so instead of waiting for ever, and writes no file."""
    console.monitor.registry.register("app", "App", PluginSource.API)
    console.monitor.ingest([Sample("app", time.time() - 10, cpu_percent=1.0)]).result(10)
    with sqlite3.connect(console.monitor.paths.database) as conn:
        conn.execute("DROP TABLE sample_extras")
    dialog = ExportDialog(console.monitor, console.window)
    qtbot.addWidget(dialog)
    dialog.choose_plugins(["app"])
    target = tmp_path / "out.csv"
    dialog.path.setText(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.outcome.text().startswith("the export stopped after 0 rows"),
        timeout=10_000,
    )
    assert "the database could not be read (no such table: sample_extras)" in dialog.outcome.text()
    assert "no file was written" in dialog.outcome.text()
    assert dialog.export_button.isEnabled()
    assert not target.exists()


def test_a_custom_range_exports_only_its_rows(
    console: Console, qtbot: QtBot, tmp_path: Path
) -> None:
    from desktop_app.views.time_range import TimeRange

    now = fifty_minutes_of_app(console)
    dialog = ExportDialog(console.monitor, console.window)
    qtbot.addWidget(dialog)
    dialog.choose_plugins(["app"])
    dialog.window_choice.choose_custom(TimeRange(600.0, now - 1000))  # 600 s, ending 1000 s ago
    target = tmp_path / "range.csv"
    dialog.path.setText(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.rows_written is not None, timeout=10_000)
    with target.open(newline="") as handle:
        times = [micros(r["timestamp"]) / 1e6 for r in csv.DictReader(handle)]
    assert len(times) in (600, 601) and dialog.rows_written == len(times)
    assert now - 1600 - 0.001 <= min(times) and max(times) <= now - 1000 + 0.001
    dialog.close()
