"""The API keys page against the console's own running API: a key created
on the page works, and once revoked it is refused and leaves the list."""

from __future__ import annotations

import time

import httpx
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.models.auth import Role
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
    assert page.table.item(page.keys.index(unused), 4).text() == "never"
    assert httpx.post(base + PUSH, json=body, headers=headers).status_code == 200
    window.show_page(window.alerts)
    window.show_page(page)  # shown again: read anew, with the key's last use
    qtbot.waitUntil(
        lambda: any(k.name == "billing plugin" and k.last_used_at for k in page.keys),
        timeout=5000,
    )
    (key,) = [k for k in page.keys if k.name == "billing plugin"]
    assert key.last_used_at is not None and abs(key.last_used_at - time.time()) < 10
    assert page.table.item(page.keys.index(key), 4).text() == time.strftime(
        "%Y-%m-%d %H:%M", time.localtime(key.last_used_at)
    )
    page.revoke(key.id)
    qtbot.waitUntil(lambda: all(k.id != key.id for k in page.keys), timeout=5000)
    deadline = time.monotonic() + 5
    while httpx.post(base + PUSH, json=body, headers=headers).status_code != 401:
        assert time.monotonic() < deadline, "the revoked key still works after 5 s"
        time.sleep(0.2)
