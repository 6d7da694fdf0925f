"""One webhook's delivery line: its own thread and queue, so a slow or dead
receiver delays only itself. Events go out in order (a resolve never
overtakes its raise), each tried with back-off until it is delivered, is
refused for good, or its tries run out; the outcome is kept for health."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.models.alerts import AlertEvent, AlertEventKind
from desktop_app.models.levels import AlertLevel
from desktop_app.models.webhooks import LOST_SECRET, Webhook, WebhookSecret
from desktop_app.services.webhooks.post import TIMEOUT_SECONDS, DeliveryError, post
from desktop_app.services.workers import join

log = logging.getLogger("plugin_monitor.webhooks")

# Six tries over about a minute: a receiver restarting gets everything, one
# that is down for longer is reported in health instead of queueing for ever.
RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)
QUEUE_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class ChannelState:
    """What health shows of one webhook (no URL beyond its masked form)."""

    webhook: Webhook
    delivered: int
    failed: int
    dropped: int
    pending: int
    last_error: str | None
    last_delivered_at: float | None


class Channel:
    def __init__(
        self,
        webhook: Webhook,
        target: WebhookSecret | None,
        *,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self.webhook = webhook
        self._target = target
        self._retry_delays = tuple(retry_delays)
        self._timeout = timeout
        self._queue: deque[bytes] = deque(maxlen=QUEUE_LIMIT)
        self._wake = threading.Condition()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._delivered = self._failed = self._dropped = 0
        self._last_error: str | None = None if target else LOST_SECRET
        self._last_delivered_at: float | None = None
        self._firing: dict[int, AlertLevel] = {}  # alerts told firing, at the level told

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._run, name=f"webhook-{self.webhook.id}", daemon=True
        )
        self._thread.start()

    def severity_for(self, event: AlertEvent) -> AlertLevel | None:
        """The severity to send `event` under, or None if it is not for this
        webhook. Events at its level or above are; so is every later event of
        an alert it was told is firing, so a receiver that got a critical also
        gets its end, labelled with the severity it knows that alert by."""
        alert = event.alert
        told = self._firing.get(alert.id)
        if told is None and alert.level < self.webhook.min_level:
            return None
        if event.kind is AlertEventKind.RESOLVED:
            self._firing.pop(alert.id, None)
            return told or alert.level
        self._firing[alert.id] = alert.level
        return alert.level

    def send(self, body: bytes) -> None:
        """Queue a body; when the queue is full the oldest is dropped (counted)."""
        with self._wake:
            if len(self._queue) == self._queue.maxlen:
                self._dropped += 1
            self._queue.append(body)
            self._wake.notify()

    def stop(self, deadline: float) -> bool:
        self._stopping.set()
        with self._wake:
            self._wake.notify()
        return join(self._thread, deadline)

    def state(self) -> ChannelState:
        return ChannelState(
            self.webhook,
            self._delivered,
            self._failed,
            self._dropped,
            len(self._queue),
            self._last_error,
            self._last_delivered_at,
        )

    @property
    def has_target(self) -> bool:
        return self._target is not None

    def _run(self) -> None:
        while (body := self._next()) is not None:
            self._deliver(body)
        if self._queue:
            log.warning(
                "webhook %d (%s): %d notifications not sent at stop",
                self.webhook.id,
                self.webhook.shown_url,
                len(self._queue),
            )

    def _next(self) -> bytes | None:
        with self._wake:
            while not self._queue and not self._stopping.is_set():
                self._wake.wait()
            return None if self._stopping.is_set() else self._queue.popleft()

    def _deliver(self, body: bytes) -> None:
        if self._target is None:
            self._failed += 1
            return
        for attempt, delay in enumerate((*self._retry_delays, None), start=1):
            try:
                post(self._target, body, self._timeout)
            except DeliveryError as error:
                if error.retry and delay is not None and not self._stopping.wait(delay):
                    continue
                self._give_up(str(error), attempt)
                return
            self._delivered += 1
            self._last_error, self._last_delivered_at = None, time.time()
            return

    def _give_up(self, reason: str, attempts: int) -> None:
        self._failed += 1
        tries = "1 try" if attempts == 1 else f"{attempts} tries"
        self._last_error = f"{reason}, after {tries}"
        log.error(
            "webhook %d (%s): a notification was not delivered: %s",
            self.webhook.id,
            self.webhook.shown_url,
            self._last_error,
        )
