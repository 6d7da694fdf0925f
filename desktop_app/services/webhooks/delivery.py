"""The webhook notification channel: a bus subscriber that never blocks the
engine (it only queues), and a worker whose thread turns each notified event
into Alertmanager's payload for every webhook whose level it reaches.

Webhooks are read again every few seconds, so one added by
`plugin-monitor webhooks add` beside a running monitor is used within
`REFRESH_SECONDS`.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence

from desktop_app.models.alerts import Alert, AlertEvent
from desktop_app.models.health import WorkerHealth
from desktop_app.services.webhooks.channel import RETRY_DELAYS, Channel, ChannelState
from desktop_app.services.webhooks.payload import alertmanager_payload
from desktop_app.services.webhooks.service import WebhookService
from desktop_app.services.workers import is_running, join

log = logging.getLogger("plugin_monitor.webhooks")

REFRESH_SECONDS = 5.0


class WebhookDelivery:
    name = "webhooks"

    def __init__(
        self,
        service: WebhookService,
        *,
        summary: Callable[[Alert], str],
        external_url: Callable[[], str],
        retry_delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        self._service = service
        self._summary = summary
        self._external_url = external_url
        self._retry_delays = retry_delays
        self._events: queue.SimpleQueue[AlertEvent | str] = queue.SimpleQueue()
        self._channels: dict[int, Channel] = {}
        self._thread: threading.Thread | None = None
        self._error: str | None = None

    def __call__(self, event: AlertEvent) -> None:
        """Bus subscriber: queue what was notified (never what a silence held)."""
        if event.notify and not event.silenced:
            self._events.put(event)

    def start(self) -> None:
        self._refresh()
        self._thread = threading.Thread(target=self._run, name="webhooks", daemon=True)
        self._thread.start()

    def stop(self, deadline: float) -> bool:
        self._events.put(_STOP)
        finished = join(self._thread, deadline)
        for channel in self._channels.values():
            finished &= channel.stop(deadline)
        return finished

    def refresh_now(self) -> None:
        """Take up webhook changes made in this process at once."""
        self._events.put(_REFRESH)

    def states(self) -> list[ChannelState]:
        """How each webhook's deliveries went, for health and the console."""
        return [channel.state() for channel in self._channels.values()]

    def health(self) -> WorkerHealth:
        states = self.states()
        failing = [
            f"webhook {s.webhook.id} ({s.webhook.shown_url}): {s.last_error}"
            for s in states
            if s.last_error
        ]
        error = self._error or "; ".join(failing) or None
        return WorkerHealth(
            self.name,
            is_running(self._thread),
            error,
            {
                "webhooks": len(states),
                "delivered": sum(s.delivered for s in states),
                "failed": sum(s.failed for s in states),
                "dropped": sum(s.dropped for s in states),
                "pending": sum(s.pending for s in states),
            },
        )

    def _run(self) -> None:
        refreshed = time.monotonic()
        while True:
            wait = max(0.0, refreshed + REFRESH_SECONDS - time.monotonic())
            try:
                event = self._events.get(timeout=wait)
            except queue.Empty:
                event = _REFRESH
            if event == _STOP:
                return
            if isinstance(event, str) or time.monotonic() - refreshed >= REFRESH_SECONDS:
                self._refresh()
                refreshed = time.monotonic()
            if not isinstance(event, str):
                self._send(event)

    def _send(self, event: AlertEvent) -> None:
        for channel in self._channels.values():
            severity = channel.severity_for(event)
            if severity is None:
                continue
            payload = alertmanager_payload(
                event,
                severity=severity,
                receiver=f"plugin-monitor-webhook-{channel.webhook.id}",
                external_url=self._external_url(),
                summary=self._summary,
            )
            channel.send(json.dumps(payload).encode())

    def _refresh(self) -> None:
        try:
            current = {webhook.id: webhook for webhook in self._service.current()}
        except Exception as error:  # a locked or damaged database: keep the last list
            if self._error is None:
                log.exception("webhooks could not be read; the last list is kept")
            self._error = f"webhooks could not be read: {error}"
            return
        self._error = None
        # A channel whose secret could not be read is made again: the store may work now.
        kept = {k: c for k, c in self._channels.items() if k in current and c.has_target}
        for gone in self._channels.keys() - kept.keys():
            self._channels[gone].stop(0)
        for webhook_id in current.keys() - kept.keys():
            webhook = current[webhook_id]
            kept[webhook_id] = Channel(
                webhook, self._service.target(webhook), retry_delays=self._retry_delays
            )
            kept[webhook_id].start()
        self._channels = kept  # swapped whole: health() reads it from other threads


_STOP, _REFRESH = "stop", "refresh"
