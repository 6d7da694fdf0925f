"""The Silences list under the alert centre: silences made anywhere (here
the command line's way, straight into the store) show up with a countdown
and mark their alerts (read from the store, so a restarted console marks
them too), and end on "End now"."""

from __future__ import annotations

import time

from pytestqt.qtbot import QtBot

from desktop_app.views.silences_panel import remaining
from tests.views.conftest import Console
from tests.views.test_main_window import push


def test_a_silence_made_elsewhere_is_listed_counts_down_marks_and_ends(
    console: Console, qtbot: QtBot
) -> None:
    window, monitor = console.window, console.monitor
    panel = window.alerts.silences_panel
    assert panel.empty.isVisible() or not panel.isVisible()
    push(console, cpu_percent=99)
    qtbot.waitUntil(lambda: any(a.rule == "cpu" for a in window.alerts.model.alerts))
    monitor.silences.add(
        plugin_key="app",
        rule=None,
        level=None,
        starts_at=None,
        ends_at=time.time() + 2 * 3600,
        comment="database migration",
        actor="cli (ops)",
    )
    panel.reload()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
    cells = [panel.table.item(0, column).text() for column in range(5)]
    assert cells[0] == "app · every rule"
    assert cells[1] in ("1 h 59 min", "2 h")
    assert cells[3:] == ["database migration", "cli (ops)"]
    (alert,) = [a for a in window.alerts.model.alerts if a.rule == "cpu"]
    assert "silenced" in window.alerts.model.status_text(alert)
    first = panel.silences[0]
    assert remaining(first, first.ends_at - 90) == "1 min 30 s"
    assert remaining(first, first.starts_at - 60) == "starts in 1 min"
    panel.table.selectRow(0)
    panel.end_button.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 0, timeout=5000)
    assert monitor.silences.current() == []
    assert "silenced" not in window.alerts.model.status_text(alert)
    assert panel.empty.isVisibleTo(panel)
