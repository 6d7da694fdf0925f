"""The selected alert, beside the alert list: its text, and the timeline of
its events (raised, escalated, acknowledged, silenced, resolved, reopened),
with who and when, read from the stored events."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from desktop_app.models.alerts import Alert, TimelineEntry
from desktop_app.services.alerts.wording import level_name, rule_name, unit_of
from desktop_app.services.storage.alerts import AlertQueries
from desktop_app.views.alert_text import alert_text, console_language
from desktop_app.views.tasks import run_in_background


def tr(text: str) -> str:
    return QCoreApplication.translate("AlertDetail", text)


def kind_name(kind: str) -> str:
    """Event kinds are translated once, with the toasts that show them too."""
    return QCoreApplication.translate("Toasts", kind)


def timeline_line(entry: TimelineEntry, rule: str) -> str:
    moment = time.strftime("%m-%d %H:%M:%S", time.localtime(entry.at))
    parts = [kind_name(entry.kind.value), level_name(entry.level, console_language())]
    if entry.value is not None:
        unit = unit_of(rule)
        parts.append(f"{entry.value:g}{f' {unit}' if unit else ''}")
    if entry.actor:
        parts.append(tr("by {who}").format(who=entry.actor))
    if entry.silenced:
        parts.append(tr("silenced"))
    return f"{moment}  " + " · ".join(parts)


class AlertDetail(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.queries: AlertQueries | None = None
        self.alert: Alert | None = None
        self.title = QLabel(tr("Select an alert to see what happened to it."))
        self.title.setWordWrap(True)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.comment = QLabel()
        self.comment.setWordWrap(True)
        self.timeline = QListWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        for widget in (self.title, self.text, self.comment):
            layout.addWidget(widget)
        layout.addWidget(QLabel(f"<b>{tr('Timeline')}</b>"))
        layout.addWidget(self.timeline, 1)

    def attach(self, queries: AlertQueries) -> None:
        self.queries = queries

    def show_alert(self, alert: Alert | None) -> None:
        self.alert = alert
        self.timeline.clear()
        if alert is None:
            self.title.setText(tr("Select an alert to see what happened to it."))
            self.text.clear()
            self.comment.clear()
            return
        language = console_language()
        self.title.setText(
            f"<b>{level_name(alert.level, language)}</b> · {alert.plugin_key} · "
            f"{rule_name(alert.rule, language)}"
        )
        self.text.setText(alert_text(alert))
        self.comment.setText(
            tr("Comment: {text}").format(text=alert.comment) if alert.comment else ""
        )
        queries = self.queries
        if queries is not None:
            run_in_background(
                lambda: queries.timeline(alert.id),
                lambda entries: self._show_timeline(alert, entries),
                self.title.setText,
                owner=self,
            )

    def _show_timeline(self, alert: Alert, entries: list[TimelineEntry]) -> None:
        if self.alert is None or self.alert.id != alert.id:
            return  # another alert was selected meanwhile
        self.timeline.clear()
        self.timeline.addItems([timeline_line(entry, alert.rule) for entry in entries])
