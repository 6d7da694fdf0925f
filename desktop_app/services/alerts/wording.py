"""Alert text in the operator's language, rendered from the alert's data
(rule, level, value, line, times), for the API, the stream and webhooks
(`alerts.language`) and for the console (`console.language`) alike.

English is the core's own `message`, written by the rules when the alert
changed; other languages are rendered here from the same data. A rule
without a template (a plugin's own) keeps the core's text.
"""

from __future__ import annotations

from desktop_app.models.alerts import Alert, AlertStatus
from desktop_app.models.levels import AlertLevel
from desktop_app.models.metrics import CATALOGUE
from desktop_app.services.alerts.changes import AUTO_RESOLVER
from desktop_app.services.alerts.no_data import NO_DATA
from desktop_app.services.alerts.rules import RULES_BY_NAME, WordedRule, span

LANGUAGES = ("en", "ko")

KOREAN_RULES = {
    **{metric.label: metric.label_ko for metric in CATALOGUE},
    "Failed samples in a row": "연속 실패 샘플 수",
    "Deviation from this hour's usual usage": "이 시간대 평소 사용량과의 편차",
    "Memory use of its limit": "메모리 한도 대비 사용량",
    "Plugin installed": "플러그인 설치",
    "CPU use of its limit": "CPU 한도 대비 사용량",
    "Failed logins": "로그인 실패",
    "Backups overdue": "백업 지연",
    "API keys over their rate": "허용량 초과 API 키",
    "Setting changed": "설정 변경",
    "API key created or revoked": "API 키 생성·폐기",
}
KOREAN_RULE_TITLES = {
    "unusual_hour": KOREAN_RULES["Deviation from this hour's usual usage"],
    **{name: KOREAN_RULES[rule.title] for name, rule in RULES_BY_NAME.items()},
}
# What the console calls each rule (its column, the silences list).
RULE_NAMES = {
    "en": {
        **{name: rule.title for name, rule in RULES_BY_NAME.items()},
        NO_DATA.name: "No data",
        "unusual_hour": "Unusual for this hour",
    },
    "ko": {**KOREAN_RULE_TITLES, NO_DATA.name: "데이터 없음", "unusual_hour": "시간대 대비 이상"},
}
KOREAN_UNITS = {"standard deviations": "표준편차"}
KOREAN_LEVELS = {
    AlertLevel.INFO: "정보",
    AlertLevel.WARNING: "경고",
    AlertLevel.ERROR: "오류",
    AlertLevel.CRITICAL: "심각",
}
KOREAN_SPAN = ("초", "분", "시간", "일")
KOREAN = {
    "raise": "{title} {value}: {level} 기준 {line} 이상",
    "recovery": "{title} {value}(으)로 회복 ({span} 만에)",
    "recovery_below": "{title} {value}(으)로 회복 ({line} 미만, {span} 만에)",
    "no_data": "{span} 동안 데이터 없음 (예상 간격 {limit})",
    "data_again": "{span} 동안 무응답 후 데이터 재개",
}


def rule_name(rule: str, language: str) -> str:
    """A rule as the operator reads it ("CPU usage"); a plugin's own rule by its id."""
    return RULE_NAMES.get(language, RULE_NAMES["en"]).get(rule, rule)


def level_name(level: AlertLevel, language: str) -> str:
    return KOREAN_LEVELS[level] if language == "ko" else level.label


def unit_of(rule_name: str) -> str:
    """The unit of a rule's value and line ("" for a count)."""
    if rule_name == NO_DATA.name:
        return NO_DATA.unit
    rule = RULES_BY_NAME.get(rule_name)
    return rule.unit if rule else "standard deviations"  # the unusual-hour rule


def _number(value: float | None, unit: str) -> str:
    return "?" if value is None else f"{value:g}{f' {unit}' if unit else ''}"


def _korean_span(seconds: float) -> str:
    return span(seconds, KOREAN_SPAN)


def duration(seconds: float, language: str) -> str:
    """A duration in `language`: "1 h 5 min", "1 시간 5 분"."""
    return _korean_span(seconds) if language == "ko" else span(seconds)


def alert_message(alert: Alert, language: str) -> str:
    """The alert's text in `language` ("en" or "ko")."""
    title = KOREAN_RULE_TITLES.get(alert.rule)
    if language != "ko" or (title is None and alert.rule != NO_DATA.name):
        return alert.message
    recovered = alert.status is AlertStatus.RESOLVED and alert.resolved_by == AUTO_RESOLVER
    if alert.rule == NO_DATA.name:
        if recovered:
            return KOREAN["data_again"].format(span=_korean_span(alert.value or 0))
        return KOREAN["no_data"].format(
            span=_korean_span(alert.value or 0), limit=_korean_span(alert.threshold or 0)
        )
    rule = RULES_BY_NAME.get(alert.rule)
    if isinstance(rule, WordedRule):
        if recovered:
            lasted = (alert.resolved_at or alert.updated_at) - alert.started_at
            return rule.recovered_ko.format(span=_korean_span(lasted))
        return rule.raised_ko.format(value=f"{alert.value or 0:g}")
    unit = KOREAN_UNITS.get(unit_of(alert.rule), unit_of(alert.rule))
    value, line = _number(alert.value, unit), _number(alert.threshold, unit)
    if recovered:
        lasted = (alert.resolved_at or alert.updated_at) - alert.started_at
        template = KOREAN["recovery_below" if alert.threshold is not None else "recovery"]
        return template.format(title=title, value=value, line=line, span=_korean_span(lasted))
    return KOREAN["raise"].format(
        title=title, value=value, level=KOREAN_LEVELS[alert.level], line=line
    )
