"""CSV and JSON exports hold exactly the stored rows; a cancelled one leaves nothing."""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
from pathlib import Path

import pytest

from desktop_app.errors import OperatorError
from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.services import export
from desktop_app.services.export import ExportCancelled, ExportRequest, export_samples
from desktop_app.services.runtime import PluginMonitor


@pytest.fixture
def stored(monitor: PluginMonitor) -> dict[str, int]:
    ids = {}
    for key in ("a", "b"):
        ids[key] = monitor.registry.register(key, key, PluginSource.API).id
        samples = [
            Sample(
                key,
                1_700_000_000.0 + i,
                cpu_percent=float(i % 50),
                error_count=i % 3,
                request_count=1000.0,
                failed=i % 7 == 0,
            )
            for i in range(6_000)
        ]
        monitor.ingest(samples).result(30)
    return ids


def db_rows(monitor: PluginMonitor) -> list[tuple[object, ...]]:
    with sqlite3.connect(monitor.paths.database) as conn:
        return conn.execute(
            "SELECT plugin, time_utc, cpu_percent, error_count, failed FROM samples_readable "
            "ORDER BY plugin, time_utc"
        ).fetchall()


def request(path: Path, fmt: str) -> ExportRequest:
    return ExportRequest(["a", "b"], 1_700_000_000.0, 1_800_000_000.0, fmt, path)


def test_csv_holds_exactly_the_stored_rows(
    monitor: PluginMonitor, stored: dict[str, int], tmp_path: Path
) -> None:
    progress: list[tuple[int, int]] = []
    path = tmp_path / "out.csv"
    count = export_samples(
        monitor.samples,
        stored,
        request(path, "csv"),
        progress=lambda done, total: progress.append((done, total)),
    )
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert count == len(rows) == 12_000
    assert progress[-1] == (12_000, 12_000) and len(progress) > 2
    expected = db_rows(monitor)
    got = [
        (
            r["plugin_id"],
            r["timestamp"],
            float(r["cpu_percent"]),
            float(r["error_count"]),
            r["failed"] == "True",
        )
        for r in rows
    ]
    assert [(p, t[:23], c, e, bool(f)) for p, t, c, e, f in expected] == [
        (p, t[:23], c, e, f) for p, t, c, e, f in got
    ]
    assert rows[0]["timestamp"].endswith("+00:00"), "ISO 8601 with zone"
    assert rows[0]["memory_rss"] == "", "missing values stay empty"


def test_json_holds_exactly_the_stored_rows(
    monitor: PluginMonitor, stored: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "out.json"
    assert export_samples(monitor.samples, stored, request(path, "json")) == 12_000
    rows = json.loads(path.read_text())
    assert len(rows) == 12_000
    assert rows[0]["plugin_id"] == "a" and rows[0]["memory_rss"] is None
    assert [r["cpu_percent"] for r in rows[:3]] == [0.0, 1.0, 2.0]


def test_a_cancelled_export_leaves_no_file(
    monitor: PluginMonitor, stored: dict[str, int], tmp_path: Path
) -> None:
    cancel = threading.Event()
    path = tmp_path / "out.csv"

    def stop_after_first_page(done: int, _total: int) -> None:
        if done >= export.PAGE_ROWS:
            cancel.set()

    with pytest.raises(ExportCancelled):
        export_samples(
            monitor.samples,
            stored,
            request(path, "csv"),
            progress=stop_after_first_page,
            cancelled=cancel,
        )
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_bad_format_and_unwritable_folder(
    monitor: PluginMonitor, stored: dict[str, int], tmp_path: Path
) -> None:
    with pytest.raises(OperatorError, match="unknown export format 'xml'"):
        export_samples(monitor.samples, stored, request(tmp_path / "x", "xml"))
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OperatorError, match="cannot write here"):
        export_samples(monitor.samples, stored, request(blocker / "out.csv", "csv"))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_stream_comes_page_by_page_and_equals_the_file(
    monitor: PluginMonitor, stored: dict[str, int], tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"out.{fmt}"
    export_samples(monitor.samples, stored, request(path, fmt))
    chunks = list(
        export.stream_samples(monitor.samples, stored, 1_700_000_000.0, 1_800_000_000.0, fmt)
    )
    assert [rows for _text, rows in chunks] == [5000, 1000, 5000, 1000, 0]
    assert "".join(text for text, _rows in chunks) == path.read_bytes().decode()
