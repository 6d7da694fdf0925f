"""The API keys page against the console's own running API: a key created
on the page works, and once revoked it is refused and leaves the list."""

from __future__ import annotations

import time

import httpx
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop_app.models.auth import KeyScope, Role
from desktop_app.views.keys_page import COLUMNS, NewKeyDialog
from desktop_app.views.main_window import MainWindow

PUSH = "/api/advanced-monitoring/update-metrics"


def test_a_key_made_on_the_page_works_and_is_gone_once_revoked(
    console_with_api: tuple[MainWindow, str], qtbot: QtBot
) -> None:
    window, base = console_with_api
    page = window.keys_page
    page.create_key("billing plugin", Role.OPERATOR)
    qtbot.waitUntil(lambda: hasattr(page, "shown_once"), timeout=5000)
    token = page.shown_once.token.text()
    assert token.startswith("pm_")
    page.shown_once.copy.click()
    assert QApplication.clipboard().text() == token
    page.shown_once.accept()
    qtbot.waitUntil(lambda: any(k.name == "billing plugin" for k in page.keys), timeout=5000)
    body = {"plugin_id": "billing", "metrics": {"cpu_usage": 5}}
    headers = {"Authorization": f"Bearer {token}"}
    (unused,) = [k for k in page.keys if k.name == "billing plugin"]
    assert page.table.item(page.keys.index(unused), 6).text() == "never"
    assert httpx.post(base + PUSH, json=body, headers=headers).status_code == 200
    window.show_page(window.alerts)
    window.show_page(page)  # shown again: read anew, with the key's last use
    qtbot.waitUntil(
        lambda: any(k.name == "billing plugin" and k.last_used_at for k in page.keys),
        timeout=5000,
    )
    (key,) = [k for k in page.keys if k.name == "billing plugin"]
    assert key.last_used_at is not None and abs(key.last_used_at - time.time()) < 10
    assert page.table.item(page.keys.index(key), 6).text() == time.strftime(
        "%Y-%m-%d %H:%M", time.localtime(key.last_used_at)
    )
    page.revoke(key.id)
    qtbot.waitUntil(lambda: all(k.id != key.id for k in page.keys), timeout=5000)
    deadline = time.monotonic() + 5
    while httpx.post(base + PUSH, json=body, headers=headers).status_code != 401:
        assert time.monotonic() < deadline, "the revoked key still works after 5 s"
        time.sleep(0.2)


def cell(window: MainWindow, key_id: int, column: str) -> str:
    page = window.keys_page
    (row,) = [n for n, key in enumerate(page.keys) if key.id == key_id]
    return page.table.item(row, COLUMNS.index(column)).text()


def test_a_scoped_key_made_on_the_page_is_held_to_its_scope_and_shows_it(
    console_with_api: tuple[MainWindow, str], qtbot: QtBot
) -> None:
    window, base = console_with_api
    page = window.keys_page
    scope = KeyScope.lasting(30, now=time.time(), ingest_only=True, plugins="web*")
    page.create_key("web pusher", Role.OPERATOR, scope)
    qtbot.waitUntil(lambda: hasattr(page, "shown_once"), timeout=5000)
    shown = page.shown_once
    assert "pushes only, web*; expires " in shown.findChild(QLabel).text()
    headers = {"Authorization": f"Bearer {shown.token.text()}"}
    shown.accept()
    denied = httpx.post(
        base + PUSH, json={"plugin_id": "billing", "metrics": {"cpu_usage": 5}}, headers=headers
    )
    assert denied.status_code == 403
    pushed = httpx.post(
        base + PUSH, json={"plugin_id": "web01", "metrics": {"cpu_usage": 5}}, headers=headers
    )
    assert pushed.status_code == 200, pushed.text
    alerts = httpx.get(base + "/api/advanced-monitoring/alerts", headers=headers)
    assert alerts.status_code == 403, "pushes only"
    window.show_page(window.alerts)
    window.show_page(page)
    qtbot.waitUntil(
        lambda: any(k.name == "web pusher" and k.last_used_from for k in page.keys), timeout=5000
    )
    (key,) = [k for k in page.keys if k.name == "web pusher"]
    assert cell(window, key.id, "Scope") == "pushes only, web*"
    assert cell(window, key.id, "From") == "127.0.0.1"
    assert key.scope.expires_at is not None
    assert cell(window, key.id, "Expires") == time.strftime(
        "%Y-%m-%d %H:%M", time.localtime(key.scope.expires_at)
    )


def test_the_new_key_dialog_makes_the_scope_it_shows(qtbot: QtBot) -> None:
    dialog = NewKeyDialog()
    qtbot.addWidget(dialog)
    assert dialog.scope() == KeyScope(), "by default: everything its role allows, for ever"
    dialog.role.setCurrentIndex(dialog.role.findData(Role.ADMIN))
    dialog.ingest.setChecked(True)
    assert (dialog.role.currentData(), dialog.role.isEnabled()) == (Role.OPERATOR, False)
    dialog.plugins.setText(" web* ")
    dialog.days.setValue(7)
    scope = dialog.scope()
    assert (scope.ingest_only, scope.plugins) == (True, "web*")
    assert scope.expires_at is not None and abs(scope.expires_at - time.time() - 7 * 86_400) < 5
    assert dialog.days.specialValueText() == "no expiry" and dialog.days.minimum() == 0
