"""The selected alert, beside the alert list: its text, the metric's chart
around it with the line it crossed, and the timeline of its events (raised,
escalated, acknowledged, silenced, resolved, reopened) with who and when,
read from the stored events and samples."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from desktop_app.models.alerts import Alert, TimelineEntry
from desktop_app.services.alerts.rules import RULES_BY_NAME
from desktop_app.services.alerts.wording import level_name, rule_name, unit_of
from desktop_app.views.alert_text import alert_text, console_language
from desktop_app.views.charts import LiveChart
from desktop_app.views.style import LEVEL_COLOURS
from desktop_app.views.tasks import run_in_background

if TYPE_CHECKING:
    from desktop_app.views.sources import AlertHistory, Plugins, SampleHistory

AROUND_SECONDS = 900.0  # the chart shows a quarter hour before the alert and after its end


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
        self.queries: AlertHistory | None = None
        self.registry: Plugins | None = None
        self.samples: SampleHistory | None = None
        self.alert: Alert | None = None
        self.title = QLabel(tr("Select an alert to see what happened to it."))
        self.title.setWordWrap(True)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.comment = QLabel()
        self.comment.setWordWrap(True)
        self.timeline = QListWidget()
        self.chart = LiveChart("", "#3b82f6", y_range=None)
        self.chart.setMinimumHeight(150)
        self.chart.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        for widget in (self.title, self.text, self.comment):
            layout.addWidget(widget)
        layout.addWidget(self.chart, 1)
        layout.addWidget(QLabel(f"<b>{tr('Timeline')}</b>"))
        layout.addWidget(self.timeline, 1)

    def attach(self, queries: AlertHistory, registry: Plugins, samples: SampleHistory) -> None:
        self.queries, self.registry, self.samples = queries, registry, samples

    def show_alert(self, alert: Alert | None) -> None:
        self.alert = alert
        self.timeline.clear()
        if alert is None:
            self.title.setText(tr("Select an alert to see what happened to it."))
            self.text.clear()
            self.comment.clear()
            self.chart.hide()
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
        self._load_chart(alert)
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

    def _load_chart(self, alert: Alert) -> None:
        """The rule's metric from a quarter hour before the alert to a quarter
        hour after its end (or now), with the line it crossed."""
        rule, registry, samples = RULES_BY_NAME.get(alert.rule), self.registry, self.samples
        info = registry.get(alert.plugin_key) if registry is not None else None
        if rule is None or not rule.metric or info is None or samples is None:
            self.chart.hide()  # a rule on no single metric (no data, failures in a row)
            return
        end = min(time.time(), (alert.resolved_at or time.time()) + AROUND_SECONDS)
        start = alert.started_at - AROUND_SECONDS
        chart = self.chart
        chart.window, chart.until, chart.zoomed = end - start, end, False
        chart.use_metric(rule.metric)
        chart.setTitle(f"{rule_name(alert.rule, console_language())} · {alert.plugin_key}")
        line = [(alert.threshold, LEVEL_COLOURS[alert.level])] if alert.threshold else []
        chart.show()

        def load() -> list[tuple[float, float]]:
            found = samples.window(info.id, info.key, start, end)
            return [(s.ts, v) for s in found if (v := rule.value(s, 0)) is not None]

        def show(points: list[tuple[float, float]]) -> None:
            if self.alert is not None and self.alert.id == alert.id:
                chart.set_lines(line)
                chart.set_series([ts for ts, _ in points], [value for _, value in points])

        run_in_background(load, show, owner=self)
