"""The console in Korean through Qt's translation system."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop_app.errors import InstanceLockedError
from desktop_app.models.alerts import AlertStatus
from desktop_app.services.runtime import PluginMonitor
from desktop_app.views.alert_table import AlertTableModel
from desktop_app.views.alert_text import alert_text
from desktop_app.views.app import already_running, install_translator
from desktop_app.views.dashboard import Dashboard
from tests.helpers import EventRecorder, push

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


def test_alert_text_follows_the_console_language(
    qapp: QApplication, monitor: PluginMonitor
) -> None:
    """A Korean console shows Korean alert text, rendered from the alert's data;
    in English it reads exactly as the core's message."""
    events = EventRecorder()
    monitor.bus.subscribe(events)
    push(monitor, cpu_percent=99)
    push(monitor, cpu_percent=50)
    push(monitor, "quiet", cpu_percent=1)
    raised, recovered = events.events[0].alert, events.events[1].alert
    silent = replace(raised, rule="no_data", value=240.0, threshold=90.0)
    assert alert_text(raised) == raised.message
    assert alert_text(recovered) == recovered.message
    translator = install_translator(qapp, "ko")
    assert translator is not None
    try:
        assert alert_text(raised) == "CPU 사용률 99 %: 심각 기준 95 % 이상"
        assert re.fullmatch(
            r"CPU 사용률 50 %\(으\)로 회복 \(80 % 미만, \d+ 초 만에\)", alert_text(recovered)
        )
        assert alert_text(silent) == "4 분 동안 데이터 없음 (예상 간격 1 분 30 초)"
    finally:
        qapp.removeTranslator(translator)


def test_rule_names_and_the_instance_lock_refusal_are_korean_in_a_korean_console(
    qapp: QApplication, monitor: PluginMonitor
) -> None:
    events = EventRecorder()
    monitor.bus.subscribe(events)
    push(monitor, cpu_percent=99)
    model = AlertTableModel()
    model.replace_all([events.events[0].alert])
    locked = InstanceLockedError("4242", "/srv/monitor")
    assert model.data(model.index(0, 2)) == "CPU usage"
    history = replace(events.events[0].alert, historical=True, status=AlertStatus.RESOLVED)
    assert model.status_text(history) == "resolved · back-filled history"
    translator = install_translator(qapp, "ko")
    assert translator is not None
    try:
        assert model.data(model.index(0, 2)) == "CPU 사용률"
        assert model.data(model.index(0, 0)) == "심각"
        assert already_running(locked).startswith(
            "다른 Plugin Monitor(pid 4242)가 이미 데이터 폴더 /srv/monitor에서 실행 중입니다."
        )
    finally:
        qapp.removeTranslator(translator)
    assert already_running(locked).startswith("Another Plugin Monitor (pid 4242)")
