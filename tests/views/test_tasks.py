"""Background work for views: only the newest read's answer is shown, even
when an older one comes back last."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.views.tasks import NewestOnly


def test_an_older_answer_that_comes_back_last_is_not_shown(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    reads = NewestOnly(owner)
    shown: list[str] = []
    release = threading.Event()
    old_finished = threading.Event()

    def old_filter() -> str:
        release.wait(5)
        old_finished.set()
        return "old"

    reads.run(old_filter, shown.append)
    reads.run(lambda: "new", shown.append)
    qtbot.waitUntil(lambda: shown == ["new"], timeout=5000)
    release.set()
    qtbot.waitUntil(old_finished.is_set, timeout=5000)
    qtbot.wait(200)  # the old answer's signal delivered, and dropped
    assert shown == ["new"]
