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
    chart = LiveChart("CPU", "%", "#3b82f6")
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
    chart = LiveChart("CPU", "%", "#3b82f6")
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
    assert dashboard.cpu_chart.line_values == [80.0, 95.0]
    assert dashboard.memory_chart.line_values == [85.0, 95.0]
    monitor.thresholds.cpu_threshold = 70.0
    window.refresh_status()
    assert dashboard.cpu_chart.line_values == [70.0, 95.0]
