"""The Analytics page, the summary export and the settings backtest on a real
console: the report is built off the UI thread and shown in every part."""

from __future__ import annotations

import csv
import json
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot

from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.views.analytics_page import AnalyticsPage
from desktop_app.views.export_dialog import ExportDialog
from desktop_app.views.time_range import DAY, TimeRange
from tests.views.conftest import Console

HOUR = 3600.0


def rising_memory(console: Console) -> None:
    """A day of memory rising 2 %/h to 79 %: 85 % is about 3 h away."""
    console.monitor.registry.register("app", "App", PluginSource.API)
    now = time.time()
    hours = np.arange(-24, 0, 1 / 60)
    console.monitor.ingest(
        [
            Sample(
                "app",
                now + h * HOUR,
                memory_percent=79.0 + 2.0 * h,
                cpu_percent=80.0 if np.floor(h) in (-12, -2) else 20.0,
                request_count=100.0,
            )
            for h in hours
        ]
    ).result(30)
    console.window.refresh_plugins()


def test_the_page_shows_trend_forecast_summary_and_heatmap(
    console: Console, qtbot: QtBot, tmp_path: Path
) -> None:
    rising_memory(console)
    window = console.window
    page = window.analytics
    page.plugin.setCurrentText("app")
    window.show_page(page)
    qtbot.waitUntil(lambda: page.report_for == ("app", TimeRange(DAY)), timeout=10_000)
    page.choose_metric("memory_usage")
    assert page.direction.text().startswith("\u2197 up")
    assert page.strength.text() == "strong"
    assert "Memory usage reaches 85 % in about 3 h" in page.forecast.text()
    names = [page.summary.item(row, 0).text() for row in range(page.summary.rowCount())]
    row = names.index("Memory usage")
    assert page.summary.item(row, 4).text() == "79 %"  # current, in its unit
    assert np.nanmax(page.heatmap.values) == 100.0
    an_hour_ago = datetime.fromtimestamp(time.time() - HOUR).astimezone()
    cell = page.heatmap.cell_text(an_hour_ago.weekday(), an_hour_ago.hour)
    assert cell == f"{an_hour_ago:%a %H}:00  100"  # requests: a count, no unit
    assert page.heatmap.legend_text == ["100"], "every cell alike: one value, not a range"
    assert page.chart.getPlotItem().titleLabel.text == "Memory usage"
    x, y = page.chart.average.getData()
    assert len(x) >= 288 and y[-1] > y[0]
    target = tmp_path / "trend.png"
    assert page.save_png(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_shown_report_follows_new_samples(console: Console, qtbot: QtBot) -> None:
    rising_memory(console)
    page = console.window.analytics
    page.plugin.setCurrentText("app")
    console.window.show_page(page)
    qtbot.waitUntil(lambda: page.report_for == ("app", TimeRange(DAY)), timeout=10_000)
    console.monitor.ingest([Sample("app", time.time(), memory_percent=12.5)]).result(10)
    page.auto_refresh.setInterval(50)
    qtbot.waitUntil(lambda: page.report.summary["memory_usage"].current == 12.5)  # type: ignore[union-attr]


def test_the_export_dialog_writes_the_analytics_summary(
    console: Console, qtbot: QtBot, tmp_path: Path
) -> None:
    rising_memory(console)
    for fmt in ("csv", "json"):
        dialog = ExportDialog(console.monitor, console.window)
        qtbot.addWidget(dialog)
        dialog.choose_plugins(["app"])
        dialog.summary.setChecked(True)
        (dialog.json if fmt == "json" else dialog.csv).setChecked(True)
        dialog.path.setText(str(tmp_path / f"summary.{fmt}"))
        dialog.start()
        qtbot.waitUntil(lambda d=dialog: d.rows_written is not None, timeout=10_000)
    with (tmp_path / "summary.csv").open() as handle:
        rows = {row["metric"]: row for row in csv.DictReader(handle)}
    assert float(rows["memory_usage"]["current"]) == pytest.approx(79.0 - 2 / 60)
    assert rows["memory_usage"]["direction"] == "up"
    report = json.loads((tmp_path / "summary.json").read_text())
    assert report["hours"] == 24
    assert report["plugins"]["app"]["summary"]["request_count"]["average"] == 100.0


def test_the_settings_backtest_counts_without_saving(console: Console, qtbot: QtBot) -> None:
    rising_memory(console)
    page = console.window.settings_page
    console.window.show_page(page)
    page.scope.setCurrentIndex(page.scope.findData("app"))
    page.fields["cpu_threshold"].setValue(70.0)
    qtbot.mouseClick(page.backtest_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "these values would have raised" in page.backtest_result.text())
    # Two CPU bursts of an hour each (12 h and 2 h ago); memory never reaches 85 %.
    assert "would have raised 2 alerts; the saved values raised 2." in page.backtest_result.text()
    page.fields["cpu_threshold"].setValue(85.0)
    qtbot.mouseClick(page.backtest_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "raised 0 alerts" in page.backtest_result.text())
    assert console.monitor.thresholds.effective("app").cpu_threshold == 80.0


def test_a_page_deleted_during_its_query_drops_the_answer(console: Console, qtbot: QtBot) -> None:
    """Closing the window while a report is built must not touch deleted widgets
    (pytest-qt fails the test on any exception raised in the event loop)."""
    rising_memory(console)
    page = AnalyticsPage()
    page.monitor = console.monitor
    page.set_plugins(["app"])
    page.load()
    shiboken6.delete(page)
    assert QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.wait(200)  # the queued answer is delivered now, and dropped


def test_a_fresh_plugin_shows_its_first_point_in_a_sensible_range(
    console: Console, qtbot: QtBot
) -> None:
    console.monitor.registry.register("new", "New", PluginSource.API)
    now = time.time()
    console.monitor.ingest([Sample("new", now, memory_percent=40.0)]).result(10)
    console.window.refresh_plugins()
    page = console.window.analytics
    page.plugin.setCurrentText("new")
    console.window.show_page(page)
    qtbot.waitUntil(lambda: page.report_for == ("new", TimeRange(DAY)), timeout=10_000)
    page.choose_metric("memory_usage")
    (left, right), _ = page.chart.viewRange()
    assert left < now < right and right - left < 2 * HOUR
    assert page.chart.average.opts["symbol"] == "o"


def test_the_heatmap_has_a_colour_scale_in_the_metrics_unit(qtbot: QtBot) -> None:
    from desktop_app.views.analytics_charts import Heatmap

    heatmap = Heatmap()
    qtbot.addWidget(heatmap)
    grid: list[list[float | None]] = [[10.0 + day * 10 for _hour in range(24)] for day in range(7)]
    grid[0][0] = None  # an hour with no data stays out of the scale
    heatmap.show_grid(grid, "cpu_usage")
    assert heatmap.legend_text == ["10 %", "70 %"]
    assert heatmap.scale_bar.levels() == (10.0, 70.0)
    heatmap.show_grid([[None] * 24] * 7, "cpu_usage")
    assert heatmap.legend_text == []


def test_compare_overlays_one_metric_of_other_plugins(console: Console, qtbot: QtBot) -> None:
    from desktop_app.views.compare_dialog import CompareDialog

    rising_memory(console)
    now = time.time()
    for key, level in (("db", 40.0), ("cache", 60.0)):
        console.monitor.registry.register(key, key, PluginSource.API)
        console.monitor.ingest(
            [Sample(key, now - minutes * 60, memory_percent=level) for minutes in range(120)]
        ).result(30)
    window = console.window
    window.refresh_plugins()
    page = window.analytics
    page.plugin.setCurrentText("app")
    window.show_page(page)
    qtbot.waitUntil(lambda: page.report_for == ("app", TimeRange(DAY)), timeout=10_000)
    page.choose_metric("memory_usage")
    page.compare(["db", "cache"])
    qtbot.waitUntil(lambda: len(page.chart.compared) == 2, timeout=10_000)
    assert [item.name() for item in page.chart.compared] == ["db", "cache"]
    _x, y = page.chart.compared[0].getData()
    assert set(np.round(y)) == {40.0}
    text = page.chart.crosshair.show_at(now - 1800)
    assert "app: " in text and "db: 40 %" in text and "cache: 60 %" in text
    page.compare([])
    assert page.chart.compared == []
    dialog = CompareDialog([f"p{i}" for i in range(7)], [f"p{i}" for i in range(5)])
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.isEnabled() and dialog.chosen() == [f"p{i}" for i in range(5)]
    dialog.list.item(5).setCheckState(Qt.CheckState.Checked)
    assert not ok.isEnabled(), "a sixth plugin is refused"
    assert "At most 5" in dialog.hint.text()


def test_a_custom_time_range_moves_the_plugin_history(console: Console, qtbot: QtBot) -> None:
    rising_memory(console)
    window = console.window
    page = window.plugins
    window.show_page(page)
    row = next(r for r in range(page.model.rowCount()) if page.model.key_at(r) == "app")
    page.table.selectRow(page.proxy.mapFromSource(page.model.index(row, 0)).row())
    end = time.time() - 12 * HOUR
    page.window_choice.choose_custom(TimeRange(2 * HOUR, end))
    chart = page.detail_charts["memory_percent"]
    qtbot.waitUntil(lambda: chart.until == end and chart.points >= 100, timeout=10_000)
    x, y = chart._curve.getData()
    assert end - 2 * HOUR <= min(x) and max(x) <= end
    assert abs(float(np.nanmax(y)) - (79.0 - 2.0 * 12)) < 0.1  # memory twelve hours ago
    assert chart.getPlotItem().vb.viewRange()[0][1] <= end + 2 * HOUR * 0.02
    assert "\u2013" in page.detail_title.text(), "the title names the range"


def test_a_custom_range_must_end_after_it_starts(qtbot: QtBot) -> None:
    from desktop_app.views.time_range import CustomRangeDialog

    now = time.time()
    dialog = CustomRangeDialog(now - HOUR, now)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.isEnabled() and dialog.chosen().seconds == pytest.approx(HOUR, abs=60)
    dialog.end.setDateTime(dialog.start.dateTime().addSecs(-60))
    assert not ok.isEnabled() and "at least a minute" in dialog.problem.text()
