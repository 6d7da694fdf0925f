"""`logs/notifications.log`: one line per notification that went out."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from desktop_app.logs import OwnerOnlyRotatingFileHandler
from desktop_app.models.alerts import AlertEvent

log = logging.getLogger("plugin_monitor.notifications")


def format_notification(event: AlertEvent) -> str:
    """One line; a recovery reads RESOLVED (and the level it had), never the
    raise level first."""
    alert = event.alert
    moment = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(event.at))
    head = "RESOLVED" if event.is_recovery else f"{alert.level.name} {event.kind.value}"
    was = f" (was {alert.level.label})" if event.is_recovery else ""
    return (
        f"{moment} {head} plugin={alert.plugin_key} rule={alert.rule} alert={alert.id} "
        f"seq={event.seq}: {alert.message}{was}"
    )


class NotificationsLog:
    """A bus subscriber that writes notifying events to their own file."""

    def __init__(self, path: Path) -> None:
        self._handler = OwnerOnlyRotatingFileHandler(
            path, maxBytes=10 * 1024 * 1024, backupCount=5, encoding="utf-8"
        )
        self._handler.setFormatter(logging.Formatter("%(message)s"))

    def __call__(self, event: AlertEvent) -> None:
        if not event.notify:
            return
        record = log.makeRecord(
            log.name, logging.INFO, __file__, 0, format_notification(event), (), None
        )
        self._handler.handle(record)

    def close(self) -> None:
        self._handler.close()
