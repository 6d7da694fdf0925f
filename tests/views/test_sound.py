"""The optional critical sound: off by default, switched on from the settings
page (live and saved), sounding once per told critical and never for less."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.helpers import push
from tests.views.conftest import Console


def test_a_critical_alert_sounds_once_when_the_operator_asks_for_it(
    console: Console, qtbot: QtBot
) -> None:
    window, monitor = console.window, console.monitor
    sound, page = window.sound, window.settings_page
    assert not sound.enabled and not page.sound.isChecked(), "off by default"
    assert "system beep" in page.sound_backend.text()  # no QtMultimedia here
    push(monitor, cpu_percent=99)  # critical, but the sound is off
    qtbot.wait(200)
    assert sound.played == 0
    page.sound.setChecked(True)
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sound.enabled, timeout=5000)
    assert monitor.settings_file.load().console.sound is True
    push(monitor, "db", memory_percent=90)  # a warning: no sound
    push(monitor, "web", memory_percent=99)  # a critical: one sound
    qtbot.waitUntil(lambda: sound.played == 1, timeout=5000)
    push(monitor, "web", memory_percent=99)  # still critical: not told again, no sound
    qtbot.wait(300)
    assert sound.played == 1
