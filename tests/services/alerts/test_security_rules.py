"""The security plugin's rules (R25): lockouts and rates are open alerts that
resolve, changes are events told once and never open."""

from __future__ import annotations

import time

from desktop_app.models.alerts import AlertEvent, AlertEventKind, AlertFilter, AlertStatus
from desktop_app.models.levels import AlertLevel
from desktop_app.models.plugins import SECURITY_PLUGIN_KEY
from desktop_app.models.samples import Sample
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.evaluator import AlertEvaluator
from desktop_app.services.alerts.rules import RULES_BY_NAME
from desktop_app.services.alerts.wording import alert_message
from desktop_app.services.runtime import PluginMonitor


def tell(monitor: PluginMonitor, **extras: float) -> None:
    """A security sample as the watch makes them: dated now, as the watch's
    own first sample is (an older one would not change the present)."""
    monitor.ingest([Sample(SECURITY_PLUGIN_KEY, time.time(), extras=extras)]).result(10)
    monitor.engine.flush().result(10)


def test_a_lockout_is_critical_until_it_ends(monitor: PluginMonitor) -> None:
    tell(monitor, locked_out_clients=1.0, keys_over_rate=0.0)
    (raised,) = monitor.alerts.page(AlertFilter(open_only=True), limit=5)
    assert (raised.rule, raised.level) == ("auth_failures", AlertLevel.CRITICAL)
    assert raised.message.startswith("Failed logins: 1 client(s) sent too many bad API keys")
    assert alert_message(raised, "ko").startswith("로그인 실패: 클라이언트 1개가")
    tell(monitor, locked_out_clients=0.0, keys_over_rate=0.0)
    (ended,) = monitor.alerts.page(AlertFilter(), limit=5)
    assert ended.status is AlertStatus.RESOLVED
    assert alert_message(ended, "ko").startswith("로그인 실패 없음: 차단이 끝남 (")


def test_a_key_over_its_rate_is_a_warning(monitor: PluginMonitor) -> None:
    tell(monitor, locked_out_clients=0.0, keys_over_rate=2.0)
    (raised,) = monitor.alerts.page(AlertFilter(open_only=True), limit=5)
    assert (raised.rule, raised.level) == ("rate_limit", AlertLevel.WARNING)
    assert raised.message.startswith("API abuse: 2 key(s) made more requests in a minute")


def test_overdue_backups_are_a_warning_until_a_backup_is_taken(monitor: PluginMonitor) -> None:
    tell(monitor, backup_overdue=1.0)
    (raised,) = monitor.alerts.page(AlertFilter(open_only=True), limit=5)
    assert (raised.rule, raised.level) == ("backup_overdue", AlertLevel.WARNING)
    assert raised.message.startswith("Backups are overdue: none for more than twice")
    assert alert_message(raised, "ko").startswith("백업 지연: ")
    tell(monitor, backup_overdue=0.0)
    (back,) = monitor.alerts.page(AlertFilter(), limit=5)
    assert back.status is AlertStatus.RESOLVED
    assert back.message.startswith("Backups are on time again: a backup was taken, after ")


def test_each_change_is_an_event_told_once_and_never_open(monitor: PluginMonitor) -> None:
    events: list[AlertEvent] = []
    monitor.bus.subscribe(events.append)
    tell(monitor, config_changes=1.0)
    tell(monitor, config_changes=1.0)
    tell(monitor, key_changes=1.0, plugin_installs=1.0)
    assert monitor.engine.open_alerts() == []
    told = [(e.kind, e.alert.rule, e.alert.status, e.notify) for e in events]
    assert told == [
        (AlertEventKind.RAISED, "config_change", AlertStatus.RESOLVED, True),
        # the second within the throttle window: recorded, not told again
        (AlertEventKind.RAISED, "config_change", AlertStatus.RESOLVED, False),
        (AlertEventKind.RAISED, "key_change", AlertStatus.RESOLVED, True),
        (AlertEventKind.RAISED, "plugin_install", AlertStatus.RESOLVED, True),
    ]
    stored = monitor.alerts.page(AlertFilter(plugin_key=SECURITY_PLUGIN_KEY), limit=10)
    assert len({alert.id for alert in stored}) == 4
    assert {alert.level for alert in stored} == {AlertLevel.INFO}
    assert (
        alert_message(stored[0], "ko")
        == "플러그인이 설치됨; 누가 무엇을 설치했는지는 감사 기록에 있음"
    )


def test_an_event_rule_holds_no_level_between_samples() -> None:
    evaluator = AlertEvaluator(lambda _key: ThresholdValues(), [RULES_BY_NAME["config_change"]])
    changed = Sample(SECURITY_PLUGIN_KEY, 1.0, extras={"config_changes": 1.0})
    quiet = Sample(SECURITY_PLUGIN_KEY, 2.0, extras={"config_changes": 0.0})
    first = evaluator.evaluate(changed)
    assert [(t.old, t.new) for t in first] == [(None, AlertLevel.INFO)]
    assert evaluator.evaluate(quiet) == []
    assert evaluator.level_of(SECURITY_PLUGIN_KEY, "config_change") is None
    assert [(t.old, t.new) for t in evaluator.evaluate(changed)] == [(None, AlertLevel.INFO)]
