"""The Audit page lists what was done, newest first, narrowed by kind."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.models.auth import Role
from desktop_app.views.main_window import MainWindow


def test_the_audit_page_shows_who_changed_what(
    console_with_api: tuple[MainWindow, str], qtbot: QtBot
) -> None:
    window, _base = console_with_api
    assert window.monitor is not None
    window.monitor.settings_service.apply({"collection.interval": 15.0}, actor="ops (console)")
    window.keys_page.create_key("billing plugin", Role.OPERATOR)
    qtbot.waitUntil(lambda: hasattr(window.keys_page, "shown_once"), timeout=5000)
    window.keys_page.shown_once.accept()
    page = window.audit_page
    window.show_page(page)
    qtbot.waitUntil(
        lambda: any((e.new_value or "").startswith("billing plugin") for e in page.entries),
        timeout=5000,
    )
    shown = [
        tuple(page.table.item(row, column).text() for column in (1, 2, 4))
        for row in range(page.table.rowCount())
    ]
    assert ("ops (console)", "setting.set", "30.0 → 15.0") in shown
    (made,) = [row for row in shown if row[2].startswith("billing plugin")]
    assert made[0].endswith("(console)") and made[1] == "key.create"
    assert made[2].startswith("billing plugin (operator, all, pm_")
    page.kind.setCurrentIndex(2)  # API keys only
    qtbot.waitUntil(lambda: {e.action for e in page.entries} == {"key.create"}, timeout=5000)
    assert len(page.entries) == 2, "the local credential's and the page's"
    assert page.table.rowCount() == len(page.entries)
    page.kind.setCurrentIndex(0)
    page.who.setText("ops (")
    page.who.editingFinished.emit()
    qtbot.waitUntil(lambda: {e.actor for e in page.entries} == {"ops (console)"}, timeout=5000)
    assert page.table.rowCount() == 1
