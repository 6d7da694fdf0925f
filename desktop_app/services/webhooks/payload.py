"""Alertmanager's webhook payload, version 4, for one notified event, so a
receiver written for Alertmanager (a chat bridge, an incident tool, a
ticketing hook) works unchanged.

One event is one POST with one alert, as Alertmanager sends a group of one.
Its `fingerprint` names the alert across escalations (plugin, rule and the
alert's id), so a receiver that keys on it sees one incident change level
and then resolve, not a new incident per level.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from desktop_app.models.alerts import Alert, AlertEvent, AlertEventKind, AlertStatus
from desktop_app.models.levels import AlertLevel

VERSION = "4"
# Alertmanager's "not ended yet" time, which receivers test for.
NOT_ENDED = "0001-01-01T00:00:00Z"


def rfc3339(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts % 1 * 1000):03d}Z"


def fingerprint(alert: Alert) -> str:
    identity = f"{alert.plugin_key}\0{alert.rule}\0{alert.id}".encode()
    return hashlib.sha256(identity).hexdigest()[:16]


def _ended(event: AlertEvent) -> bool:
    return event.kind is AlertEventKind.RESOLVED


def _annotations(event: AlertEvent, summary: str) -> dict[str, str]:
    alert = event.alert
    shown = {
        "summary": summary,
        "description": f"{alert.plugin_key}: {summary}",
        "event": event.kind.value,
    }
    if alert.value is not None:
        shown["value"] = f"{alert.value:g}"
    if alert.threshold is not None:
        shown["threshold"] = f"{alert.threshold:g}"
    return shown


def alertmanager_payload(
    event: AlertEvent,
    *,
    severity: AlertLevel,
    receiver: str,
    external_url: str,
    summary: Callable[[Alert], str],
) -> dict[str, Any]:
    """The JSON body for `event`, labelled `severity`; `summary` renders the
    alert's text (in `alerts.language`)."""
    alert = event.alert
    status = "resolved" if _ended(event) else "firing"
    group = {"alertname": alert.rule, "plugin": alert.plugin_key}
    labels = {**group, "severity": severity.label}
    annotations = _annotations(event, summary(alert))
    ends_at = rfc3339(alert.resolved_at or event.at) if _ended(event) else NOT_ENDED
    return {
        "version": VERSION,
        "groupKey": "{}:{" + ", ".join(f'{k}="{v}"' for k, v in group.items()) + "}",
        "truncatedAlerts": 0,
        "status": status,
        "receiver": receiver,
        "groupLabels": group,
        "commonLabels": labels,
        "commonAnnotations": annotations,
        "externalURL": external_url,
        "alerts": [
            {
                "status": status,
                "labels": labels,
                "annotations": annotations,
                "startsAt": rfc3339(alert.started_at),
                "endsAt": ends_at,
                "generatorURL": external_url,
                "fingerprint": fingerprint(alert),
            }
        ],
    }


def test_event(now: float) -> AlertEvent:
    """What "send a test" POSTs: an info alert of its own rule, `webhook_test`."""
    alert = Alert(
        id=0,
        plugin_key="plugin-monitor",
        rule="webhook_test",
        level=AlertLevel.INFO,
        status=AlertStatus.ACTIVE,
        message="A test notification from Plugin Monitor: this webhook works",
        value=None,
        threshold=None,
        started_at=now,
        updated_at=now,
    )
    return AlertEvent(0, AlertEventKind.RAISED, alert, now, notify=True)
