"""Webhooks in Settings, against a real receiver on loopback: added from the
dialog (URL masked in the list, the signing secret shown once), tested,
counted as alerts are delivered, and removed."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.views.webhooks_panel import AddWebhookDialog
from tests.services.webhooks.receiver import receiving
from tests.views.conftest import Console
from tests.views.test_main_window import push


def test_a_webhook_added_in_settings_is_masked_tested_used_and_removed(
    console: Console, qtbot: QtBot
) -> None:
    window = console.window
    window.nav.setCurrentRow(window.pages.indexOf(window.settings_page))
    panel = window.settings_page.webhooks
    messages: list[str] = []
    panel.status_message.connect(messages.append)
    with receiving() as receiver:
        dialog = AddWebhookDialog(panel)
        assert not dialog.ok.isEnabled(), "no webhook without a URL"
        dialog.url.setText(receiver.url)
        dialog.level.setCurrentIndex(1)  # warning and up: not the info event of adding it
        dialog.headers.setPlainText("X-Team: ops\n")
        dialog.sign.setChecked(True)
        panel.add(dialog)
        qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
        shown = panel.table.item(0, 0).text()
        assert shown.startswith("http://127.0.0.1:") and shown.endswith("/…, signed")
        assert "secret-token" not in shown
        secret_box: QMessageBox = panel.secret_box
        assert "shown only now" in secret_box.text()
        secret_box.close()
        panel.table.selectRow(0)
        panel.test_button.click()
        qtbot.waitUntil(lambda: any("Test alert delivered" in m for m in messages), timeout=5000)
        (tested,) = receiver.wait_for(1)
        assert tested.headers["X-Team"] == "ops"
        push(console, cpu_percent=99)
        receiver.wait_for(2)
        qtbot.waitUntil(lambda: "1 delivered" in panel.table.item(0, 2).text(), timeout=8000)
    panel.table.selectRow(0)
    panel.remove_button.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 0, timeout=5000)
    assert console.monitor.webhooks.current() == []


def test_a_bad_header_is_refused_with_a_dialog_and_nothing_is_added(
    console: Console, qtbot: QtBot, monkeypatch: object
) -> None:
    panel = console.window.settings_page.webhooks
    warnings: list[str] = []
    monkeypatch.setattr(  # type: ignore[attr-defined]
        QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text)
    )
    dialog = AddWebhookDialog(panel)
    dialog.url.setText("https://hooks.example.com/x")
    dialog.headers.setPlainText("no colon here")
    panel.add(dialog)
    assert warnings == ["header 'no colon here': write it as NAME: VALUE"]
    dialog.headers.setPlainText("")
    dialog.url.setText("ftp://example.com")
    panel.add(dialog)
    qtbot.waitUntil(lambda: len(warnings) == 2, timeout=5000)
    assert "must start with https://" in warnings[1]
    assert console.monitor.webhooks.current() == []
