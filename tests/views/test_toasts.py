"""Toasts in their own strip: a critical one stays until dismissed or
acknowledged, the others go by themselves, at most three show ("+N more"),
and they never cover the page's action buttons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.models.alerts import AlertStatus
from desktop_app.views import toasts
from tests.views.conftest import Console
from tests.views.test_main_window import push


def on_window(widget: QWidget) -> QRect:
    top_left = widget.mapTo(widget.window(), QPoint(0, 0))
    return QRect(top_left, widget.size())


def test_a_critical_toast_stays_until_acknowledged_and_others_go(
    console: Console, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(toasts, "SHOW_MS", 300)  # the others' time on screen, shortened
    window, monitor = console.window, console.monitor
    push(console, memory_percent=90)  # a warning
    push(console, "db", cpu_percent=99)  # critical
    qtbot.waitUntil(lambda: len(window.toasts.toasts) == 2, timeout=5000)
    qtbot.wait(700)
    (critical,) = window.toasts.toasts
    assert critical.sticky and "CRITICAL" in critical.title.text()
    assert critical.ack_button is not None
    qtbot.mouseClick(critical.ack_button, Qt.MouseButton.LeftButton)
    assert window.toasts.toasts == []
    qtbot.waitUntil(
        lambda: any(a.status is AlertStatus.ACKNOWLEDGED for a in monitor.engine.open_alerts()),
        timeout=5000,
    )
    assert not window.toasts.isVisible(), "the strip goes when it is empty"


def test_at_most_three_show_and_none_covers_the_alert_buttons(
    console: Console, qtbot: QtBot
) -> None:
    window = console.window
    window.resize(1024, 700)
    window.show_page(window.alerts)
    for n in range(5):
        push(console, f"p{n}", cpu_percent=99)
    qtbot.waitUntil(lambda: len(window.toasts.toasts) == 5, timeout=5000)
    shown = [t for t in window.toasts.toasts if t.isVisible()]
    assert len(shown) == 3
    assert window.toasts.more.text() == "+2 more"
    pages = {
        window.alerts: list(window.alerts.findChildren(QPushButton)),
        window.dashboard: [window.dashboard.toggle],
        window.settings_page: [
            window.settings_page.apply_button,
            window.settings_page.backtest_button,
        ],
        window.analytics: list(window.analytics.findChildren(QPushButton)),
    }
    for page, buttons in pages.items():
        window.show_page(page)
        qtbot.wait(50)
        for button in (b for b in buttons if b.isVisible()):
            for toast in shown:
                assert not on_window(toast).intersects(on_window(button)), button.text()
    window.show_page(window.alerts)
    qtbot.mouseClick(shown[0].dismiss_button, Qt.MouseButton.LeftButton)
    assert len(window.toasts.toasts) == 4
    assert window.toasts.more.text() == "+1 more"
    qtbot.mouseClick(window.toasts.more, Qt.MouseButton.LeftButton)
    assert len(window.toasts.toasts) == 3
    assert window.pages.currentWidget() is window.alerts


def test_a_critical_toast_becomes_its_resolved_toast_and_stays(
    console: Console, qtbot: QtBot
) -> None:
    window = console.window
    push(console, "db", cpu_percent=99)
    qtbot.waitUntil(lambda: len(window.toasts.toasts) == 1, timeout=5000)
    push(console, "db", cpu_percent=10)  # the condition clears by itself
    qtbot.waitUntil(lambda: "Resolved" in window.toasts.toasts[-1].title.text(), timeout=5000)
    (resolved,) = window.toasts.toasts
    assert resolved.sticky, "what happened while the operator was away is still seen"
    assert resolved.ack_button is None, "a resolved alert is not offered for acknowledgement"


def test_a_critical_toast_goes_when_its_alert_is_acknowledged_elsewhere(
    console: Console, qtbot: QtBot
) -> None:
    window, monitor = console.window, console.monitor
    push(console, "db", cpu_percent=99)
    qtbot.waitUntil(lambda: len(window.toasts.toasts) == 1, timeout=5000)
    alert_id = window.toasts.toasts[0].alert_id
    monitor.engine.acknowledge(alert_id, actor="api key ops").result(10)
    qtbot.waitUntil(lambda: window.toasts.toasts == [], timeout=5000)
    assert not window.toasts.isVisible()


def test_a_storm_keeps_a_bounded_number_of_toasts_and_counts_the_rest(
    console: Console, qtbot: QtBot
) -> None:
    window, storm = console.window, toasts.MAX_KEPT + 10
    for n in range(storm):
        push(console, f"p{n}", cpu_percent=99)
    qtbot.waitUntil(lambda: window.toasts.hidden_count == storm - toasts.MAX_SHOWN, timeout=9000)
    assert len(window.toasts.toasts) == toasts.MAX_KEPT
    assert window.toasts.more.text() == f"+{storm - toasts.MAX_SHOWN} more"
    qtbot.mouseClick(window.toasts.more, Qt.MouseButton.LeftButton)
    assert window.toasts.hidden_count == 0 and not window.toasts.more.isVisible()
    assert len(window.toasts.toasts) == toasts.MAX_SHOWN
