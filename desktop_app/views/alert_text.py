"""Alert text in the console's language, rendered from the alert's data
(rule, level, value, line, times), so a Korean console never shows an
English message. The core keeps its English `message` for logs and the API.
A rule without a template here (the unusual-hour rule) shows the core's text.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.models.alerts import Alert, AlertStatus
from desktop_app.services.alerts.changes import AUTO_RESOLVER
from desktop_app.services.alerts.no_data import NO_DATA
from desktop_app.services.alerts.rules import RULES_BY_NAME, Rule, span


def tr(text: str) -> str:
    return QCoreApplication.translate("AlertText", text)


RULE_TITLES = {**RULES_BY_NAME, NO_DATA.name: NO_DATA}


def _span(seconds: float) -> str:
    return span(seconds, (tr("s"), tr("min"), tr("h"), tr("d")))


def _number(value: float | None, rule: Rule) -> str:
    unit = f" {rule.unit}" if rule.unit else ""
    return "?" if value is None else f"{value:g}{unit}"


def alert_text(alert: Alert) -> str:
    rule = RULE_TITLES.get(alert.rule)
    if rule is None:
        return alert.message
    recovered = alert.status is AlertStatus.RESOLVED and alert.resolved_at is not None
    lasted = (alert.resolved_at or alert.updated_at) - alert.started_at
    if rule is NO_DATA:
        if recovered:
            return tr("Data again after {span} of silence").format(span=_span(alert.value or 0))
        return tr("No data for {span} (expected within {limit})").format(
            span=_span(alert.value or 0), limit=_span(alert.threshold or 0)
        )
    title, value = tr(rule.title), _number(alert.value, rule)
    if recovered and alert.resolved_by == AUTO_RESOLVER:
        text = tr("{title} back to {value} after {span}")
        if alert.threshold is not None:
            text = tr("{title} back to {value} (below {line}) after {span}")
        return text.format(
            title=title, value=value, line=_number(alert.threshold, rule), span=_span(lasted)
        )
    return tr("{title} {value} is at or above the {level} line of {line}").format(
        title=title, value=value, level=tr(alert.level.label), line=_number(alert.threshold, rule)
    )
