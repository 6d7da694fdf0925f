"""The console in Korean through Qt's translation system."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop_app.views.app import install_translator
from desktop_app.views.dashboard import Dashboard

ROOT = Path(__file__).resolve().parents[2]


def test_every_string_has_a_korean_translation_and_the_qm_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_translations.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_korean_is_applied_to_the_widgets(qapp: QApplication) -> None:
    translator = install_translator(qapp, "ko")
    assert translator is not None
    try:
        dashboard = Dashboard()
        assert dashboard.toggle.text() == "모니터링 시작"
        assert dashboard.badge.text() == "열린 알림 없음"
    finally:
        qapp.removeTranslator(translator)
    assert Dashboard().toggle.text() == "Start monitoring"
