"""Alerts of back-filled history (a batch pushed with `"backfill": true`):
the samples go through the same state machine and alert book as live ones,
but a fresh pair of them, so the history never touches an open alert. Each
alert is recorded as historical and never notified; one still raised at the
end of the history is closed there, since nothing says how it went on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from desktop_app.models.alerts import AlertEventKind, AlertStatus
from desktop_app.models.samples import Sample
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.book import AlertBook
from desktop_app.services.alerts.evaluator import AlertEvaluator
from desktop_app.services.alerts.rules import Rule
from desktop_app.services.alerts.throttle import NotificationThrottle
from desktop_app.services.storage.alerts import PendingEvent

END_OF_HISTORY = "system (end of the back-filled history)"


def historical_alerts(
    samples: Sequence[Sample],
    *,
    rules: Iterable[Rule],
    thresholds_for: Callable[[str], ThresholdValues],
    throttle_seconds: float,
    plugin_id: Callable[[str], int | None],
    first_id: int,
) -> tuple[list[PendingEvent], int]:
    """The recorded changes, and the next free alert id."""
    evaluator = AlertEvaluator(thresholds_for, rules)
    book = AlertBook(NotificationThrottle(throttle_seconds), first_id=first_id)
    pending: list[PendingEvent] = []
    last_seen: dict[str, float] = {}
    for sample in sorted(samples, key=lambda s: s.ts):
        key_id = plugin_id(sample.plugin_key)
        if key_id is None:
            continue
        last_seen[sample.plugin_key] = sample.ts
        for transition in evaluator.evaluate(sample):
            change = book.apply(transition, key_id, transition.at, quiet=True)
            if change is not None:
                pending.append(change)
    for alert in book.open.values():
        ended = last_seen[alert.plugin_key]
        closed = replace(
            alert,
            status=AlertStatus.RESOLVED,
            updated_at=ended,
            resolved_at=ended,
            resolved_by=END_OF_HISTORY,
        )
        key_id = plugin_id(alert.plugin_key)
        assert key_id is not None
        pending.append(PendingEvent(AlertEventKind.RESOLVED, closed, key_id, False, False, ended))
    marked = [replace(p, alert=replace(p.alert, historical=True)) for p in pending]
    return marked, book.next_id
