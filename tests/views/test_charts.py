"""A live chart repainted thousands of times: PySide6 6.12.0 crashed pyqtgraph
here (Fatal Python error: none_dealloc); a release with the same fault fails
this test instead of an operator's session."""

from __future__ import annotations

import time

from pytestqt.qtbot import QtBot

from desktop_app.views.charts import LiveChart


def test_a_live_chart_survives_thousands_of_repaints(qtbot: QtBot) -> None:
    chart = LiveChart("CPU", "%", "#3b82f6", window=60)
    qtbot.addWidget(chart)
    chart.resize(400, 240)
    chart.show()
    start = time.time()
    for i in range(3000):
        chart.add(start + i * 0.05, (i * 7) % 100)
        chart.refresh()
        chart.repaint()
    assert chart.points <= 60 / 0.05 + 1
    assert not chart.grab().isNull()
