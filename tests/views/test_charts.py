"""Charts an operator can read: a lone sample is a point, a pause in the
data stays a gap, and the host's warning and critical lines sit where the
settings put them."""

from __future__ import annotations

import math

import numpy as np
from pytestqt.qtbot import QtBot

from desktop_app.views.charts import LiveChart, with_gaps
from tests.views.conftest import Console


def drawn(chart: LiveChart) -> tuple[np.ndarray, np.ndarray]:
    x, y = chart._curve.getData()  # what pyqtgraph paints
    return np.asarray(x), np.asarray(y)


def test_a_single_sample_is_drawn_as_a_point(qtbot: QtBot) -> None:
    chart = LiveChart("CPU", "#3b82f6")
    qtbot.addWidget(chart)
    chart.show()
    chart.add(1_000.0, 42.0)
    chart.refresh()
    _x, y = drawn(chart)
    assert list(y) == [42.0]
    assert chart._curve.opts["symbol"] == "o"
    chart.add(1_001.0, 43.0)
    chart.refresh()
    assert chart._curve.opts["symbol"] is None, "a line once there are two"


def test_a_gap_stays_a_gap(qtbot: QtBot) -> None:
    chart = LiveChart("CPU", "#3b82f6")
    qtbot.addWidget(chart)
    chart.show()
    for ts in [0, 30, 60, 90, 600, 630, 660]:  # monitoring off for eight minutes
        chart.add(1_000.0 + ts, 50.0)
    chart.refresh()
    x, y = drawn(chart)
    assert len(y) == 8 and math.isnan(y[4]), "NaN between 90 and 600: the line breaks"
    assert x[3] < x[4] < x[5]
    steady_x, steady_y = with_gaps(np.array([0.0, 30, 60, 90]), np.array([1.0, 2, 3, 4]))
    assert not np.isnan(steady_y).any() and len(steady_x) == 4


def test_threshold_lines_sit_at_the_configured_values(console: Console, qtbot: QtBot) -> None:
    window, monitor = console.window, console.monitor
    dashboard = window.dashboard
    window.refresh_status()
    assert dashboard.host.cpu_chart.line_values == [80.0, 95.0]
    assert dashboard.host.memory_chart.line_values == [85.0, 95.0]
    monitor.thresholds.cpu_threshold = 70.0
    window.refresh_status()
    assert dashboard.host.cpu_chart.line_values == [70.0, 95.0]


def test_axes_read_in_human_units(qtbot: QtBot) -> None:
    from desktop_app.models.metrics import Display

    memory = LiveChart("RSS", "#3b82f6", display=Display.BYTES, unit="bytes", y_range=None)
    response = LiveChart("Response", "#3b82f6", display=Display.SECONDS, unit="s", y_range=None)
    for chart in (memory, response):
        qtbot.addWidget(chart)
    memory.value_axis.setRange(0.0, 3.2e8)  # what the view shows
    response.value_axis.setRange(0.0, 0.3)
    assert memory.value_axis.tickStrings([1e8, 2e8, 3e8], 1.0, 1e8) == [
        "95 MiB",
        "191 MiB",
        "286 MiB",
    ]
    assert response.value_axis.tickStrings([0.1, 0.2, 0.25], 1.0, 0.05) == [
        "100 ms",
        "200 ms",
        "250 ms",
    ]
    response.value_axis.setRange(0.0, 1.6)
    assert response.value_axis.tickStrings([0.5, 1.0, 1.5], 1.0, 0.5) == [
        "0.5 s",
        "1.0 s",
        "1.5 s",
    ]


def test_the_crosshair_reads_the_nearest_value_and_its_time(qtbot: QtBot) -> None:
    from desktop_app.views.chart_parts import moment

    chart = LiveChart("CPU", "#3b82f6")
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    chart.show()
    for ts, value in ((1_000.0, 10.0), (1_010.0, 55.5), (1_020.0, 30.0)):
        chart.add(ts, value)
    chart.refresh()
    text = chart.crosshair.show_at(1_012.0)
    assert text == f"{moment(1_010.0)}\n55.5 %"
    assert chart.crosshair.vertical.value() == 1_010.0
    assert chart.crosshair.horizontal.value() == 55.5
    assert chart.crosshair.label.isVisible()
    # The mouse itself: a move over the plot area shows the crosshair there.
    box = chart.getPlotItem().vb
    chart.crosshair.hide()
    chart.crosshair._moved((box.mapViewToScene(pg_point(1_019.0, 50.0)),))
    assert chart.crosshair.text.endswith("30 %")


def pg_point(x: float, y: float) -> object:
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def test_wheel_zoom_and_drag_pan_hold_the_view_until_a_double_click(qtbot: QtBot) -> None:
    chart = LiveChart("CPU", "#3b82f6", window=900)
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    chart.show()
    for second in range(0, 900, 10):
        chart.add(10_000.0 + second, 50.0)
    chart.refresh()
    box = chart.getPlotItem().vb
    whole = box.viewRange()[0]
    box.scaleBy(x=0.25)  # what a wheel turn does
    box.sigRangeChangedManually.emit(box.state["mouseEnabled"])
    zoomed = box.viewRange()[0]
    assert chart.zoomed and zoomed[1] - zoomed[0] < (whole[1] - whole[0]) / 2
    chart.add(10_900.0, 60.0)  # new data does not yank the operator's view away
    chart._dirty = True
    chart.refresh()
    assert box.viewRange()[0] == zoomed
    chart.reset_view()  # a double-click
    assert not chart.zoomed
    assert box.viewRange()[0][1] >= 10_900.0
    box.scaleBy(x=0.001)
    low, high = box.viewRange()[0]
    assert high - low >= 30.0 - 1e-6, "never zoomed in to millisecond ticks"


def test_time_ticks_read_seconds_to_months_in_local_time_and_numbers(qtbot: QtBot) -> None:
    import time

    from desktop_app.views.chart_parts import TimeAxis

    axis = TimeAxis()
    moment = time.mktime((2026, 11, 26, 14, 5, 30, 0, 0, -1))  # local time
    assert axis.tickStrings([moment], 1.0, 10) == ["14:05:30"]
    assert axis.tickStrings([moment], 1.0, 600) == ["14:05"]
    assert axis.tickStrings([moment], 1.0, 86_400) == ["11-26"]
    assert axis.tickStrings([moment], 1.0, 30 * 86_400) == ["2026-11"]


def test_a_live_chart_is_redrawn_at_most_once_a_second(qtbot: QtBot) -> None:
    import time

    from PySide6.QtWidgets import QWidget

    from desktop_app.views.charts import REDRAW_SECONDS, ChartRefresher

    owner = QWidget()
    qtbot.addWidget(owner)
    refresher = ChartRefresher(owner)
    refresher.timer.stop()  # ticked by hand here
    chart = LiveChart("CPU", "#3b82f6")
    qtbot.addWidget(chart)
    chart.show()
    refresher.add(chart)
    chart.add(1_000.0, 10.0)
    refresher.tick()
    assert list(drawn(chart)[1]) == [10.0], "the first point at once"
    chart.add(1_001.0, 20.0)
    refresher.tick()
    assert list(drawn(chart)[1]) == [10.0], "not redrawn within the second"
    chart._drawn_at = time.monotonic() - REDRAW_SECONDS
    refresher.tick()
    assert list(drawn(chart)[1]) == [10.0, 20.0]


def test_cards_show_a_first_sample_at_once_then_once_a_second(qtbot: QtBot) -> None:
    from desktop_app.models.plugins import PluginInfo, PluginSource
    from desktop_app.models.samples import Sample
    from desktop_app.views.dashboard import Dashboard

    dashboard = Dashboard()
    qtbot.addWidget(dashboard)
    info = PluginInfo(2, "app", "App", PluginSource.API, enabled=True, created_at=1_000.0)
    dashboard.show_samples([Sample("app", 1_000.0, cpu_percent=12.0)])  # before its card
    dashboard.set_plugins([info], {})
    card = dashboard.cards["app"]
    assert card.values["cpu"].text() == "12.0 %", "a new plugin's first sample at once"
    dashboard.show_samples([Sample("app", 1_001.0, cpu_percent=50.0)])
    assert card.values["cpu"].text() == "12.0 %"
    dashboard.flush_cards()
    assert card.values["cpu"].text() == "50.0 %"


def test_a_threshold_line_on_a_round_value_is_not_hidden_by_the_grid(qtbot: QtBot) -> None:
    from PySide6.QtCore import QPointF

    chart = LiveChart("CPU", "#3b82f6")
    qtbot.addWidget(chart)
    chart.resize(500, 250)
    chart.show()
    for second in range(300):
        chart.add(1_000.0 + second, 40.0)
    chart.set_lines([(80.0, "#e0a100")])  # 80 % is also a grid line
    qtbot.wait(50)
    image = chart.grab().toImage()
    where = chart.getPlotItem().vb.mapViewToScene(QPointF(1_100.0, 80.0))
    row = [image.pixelColor(int(where.x()) + dx, int(where.y())).name() for dx in range(8)]
    assert "#e0a100" in row, row


def test_byte_axes_step_in_round_binary_units_and_never_go_below_zero(qtbot: QtBot) -> None:
    from desktop_app.models.metrics import Display

    chart = LiveChart("Disk", "#16a34a", display=Display.BYTES, unit="bytes/s", y_range=None)
    qtbot.addWidget(chart)
    chart.value_axis.setRange(0.0, 300 * 1024.0)
    levels = chart.value_axis.tickSpacing(0.0, 300 * 1024.0, 200)
    assert levels[0][0] % 1024 == 0, "a major step is a whole number of KiB"
    ticks = chart.value_axis.tickStrings([0.0, 100 * 1024.0, 200 * 1024.0], 1.0, levels[0][0])
    assert ticks == ["0 KiB/s", "100 KiB/s", "200 KiB/s"]
    chart.resize(400, 200)
    chart.show()
    for second in range(10):
        chart.add(1_000.0 + second, 0.0)  # an idle disk
    chart.refresh()
    chart.getViewBox().autoRange()
    assert chart.getViewBox().viewRange()[1][0] >= 0, "no negative bytes per second"


def test_the_plugin_history_draws_that_plugins_own_lines(console: Console, qtbot: QtBot) -> None:
    from tests.helpers import push

    window, monitor = console.window, console.monitor
    push(monitor, "app", cpu_percent=20.0, memory_percent=30.0, response_time=0.5)
    monitor.thresholds.plugin("app").cpu_threshold = 60.0  # this plugin's own warning line
    window.refresh_plugins()
    page = window.plugins
    window.show_page(page)
    row = next(r for r in range(page.model.rowCount()) if page.model.key_at(r) == "app")
    page.table.selectRow(page.proxy.mapFromSource(page.model.index(row, 0)).row())
    charts = page.detail_charts
    qtbot.waitUntil(lambda: charts["cpu_percent"].line_values == [60.0, 95.0], timeout=5000)
    assert charts["memory_percent"].line_values == [85.0, 95.0]
    assert charts["response_time"].line_values == [5.0], "a line set to 0 is off: not drawn"
