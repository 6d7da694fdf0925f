"""`Pusher`: samples queued in memory and sent in the background as columns.

`push()` never waits for the network: it stamps the sample and queues it.
A thread sends each plugin's queued samples through the columnar route, in
order, every `flush_seconds` or as soon as `batch` are waiting. While the
monitor cannot be reached (or answers 429/503) the samples stay queued and
are retried with a growing pause (so are they with a key refused, 401, until
it is fixed); the queue holds at most `max_queued`, and beyond that the
oldest are dropped and counted. A batch over the monitor's body limit (413)
is sent again in halves. A batch the monitor refuses
for what it is (422: a bad value, a clock ahead) is dropped and counted,
never retried for ever. The monitor merges a sample sent twice into one, so
a retry after a lost answer stores nothing twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from desktop_app.client.monitor import Monitor, MonitorError, split_custom

log = logging.getLogger("plugin_monitor.client")

# Nothing the samples hold is wrong: not reachable (0), a key to fix (401), busy.
RETRY_STATUSES = frozenset({0, 401, 429, 500, 502, 503, 504})
TOO_LARGE = 413  # a batch over api.max_body_bytes: sent again in halves
HALVE, RETRY, DROP = "halve", "retry", "drop"


def after_refusal(error: MonitorError, size: int) -> str:
    """What a sender of `size` samples does when the monitor does not take
    them: send them again in halves, try again later, or drop them."""
    if error.status == TOO_LARGE and size > 1:
        return HALVE
    return RETRY if error.status in RETRY_STATUSES else DROP


MAX_PAUSE_SECONDS = 30.0


@dataclass
class PusherStats:
    sent: int = 0
    dropped_full: int = 0  # oldest dropped: more queued than max_queued
    refused: int = 0  # the monitor refused them (422 and the like)
    retries: int = 0
    last_error: str | None = None


class Pusher:
    def __init__(
        self,
        monitor: Monitor,
        *,
        flush_seconds: float = 1.0,
        batch: int = 10_000,
        max_queued: int = 1_000_000,
        register: bool = True,
    ) -> None:
        self.monitor = monitor
        self.flush_seconds = flush_seconds
        self.batch = batch
        self.max_queued = max_queued
        self.register = register  # register a plugin the monitor does not know yet
        self.stats = PusherStats()
        self._queued: deque[tuple[str, float, dict[str, Any]]] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="pusher", daemon=True)
        self._thread.start()

    def __enter__(self) -> Pusher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def queued(self) -> int:
        return len(self._queued)

    def push(self, plugin_id: str, *, timestamp: float | None = None, **metrics: Any) -> None:
        """Queue one sample, stamped now unless `timestamp` says when."""
        moment = time.time() if timestamp is None else timestamp
        with self._lock:
            self._queued.append((plugin_id, moment, metrics))
            self._idle.clear()
            while len(self._queued) > self.max_queued:
                self._queued.popleft()
                self.stats.dropped_full += 1
            full = len(self._queued) >= self.batch
        if full:
            self._wake.set()

    def flush(self, timeout: float = 10.0) -> bool:
        """Send what is queued now; True once the queue is empty."""
        self._wake.set()
        return self._idle.wait(timeout)

    def close(self, timeout: float = 10.0) -> bool:
        """Send what is queued (up to `timeout`), then stop; True if nothing is left."""
        emptied = self.flush(timeout)
        self._stopping = True
        self._wake.set()
        self._thread.join(timeout)
        if self._queued:
            log.warning("%d samples were not sent to %s", len(self._queued), self.monitor.url)
        return emptied

    def _run(self) -> None:
        pause = 0.0
        while not self._stopping:
            self._wake.wait(pause or self.flush_seconds)
            self._wake.clear()
            pause = 0.0 if self._send_queued() else min(max(pause * 2, 0.5), MAX_PAUSE_SECONDS)

    def _send_queued(self) -> bool:
        """Send batches until the queue is empty (True) or the monitor is out of reach."""
        while True:
            with self._lock:
                if not self._queued:
                    self._idle.set()
                    return True
                plugin_id = self._queued[0][0]
                taken = [s for s in list(self._queued)[: self.batch] if s[0] == plugin_id]
            try:
                self._send(plugin_id, taken)
            except MonitorError as error:
                self.stats.last_error = str(error)
                outcome = after_refusal(error, len(taken))
                if outcome == HALVE:
                    self.batch = len(taken) // 2
                    continue
                if outcome == RETRY:
                    self.stats.retries += 1
                    log.warning("cannot send to %s, will retry: %s", self.monitor.url, error)
                    return False
                self.stats.refused += len(taken)
                log.warning(
                    "%s refused %d samples of %s: %s",
                    self.monitor.url,
                    len(taken),
                    plugin_id,
                    error,
                )
            else:
                self.stats.sent += len(taken)
            self._forget(taken)

    def _forget(self, taken: list[tuple[str, float, dict[str, Any]]]) -> None:
        """Remove the samples just sent (or refused); some may already have
        been dropped as the oldest of a full queue."""
        done = {id(sample) for sample in taken}
        with self._lock:
            self._queued = deque(s for s in self._queued if id(s) not in done)

    def _send(self, plugin_id: str, taken: list[tuple[str, float, dict[str, Any]]]) -> None:
        body = columns_of(plugin_id, taken)
        try:
            self.monitor.push_columns(body)
        except MonitorError as error:
            if error.status != 404 or not self.register:
                raise
            self.monitor.register(plugin_id)
            self.monitor.push_columns(body)


def columns_of(plugin_id: str, samples: list[tuple[str, float, dict[str, Any]]]) -> dict[str, Any]:
    """The columnar body: a list per metric, None where a sample lacks it."""
    rows = [split_custom(metrics) for _, _, metrics in samples]
    names = {name for row in rows for name in row if name != "custom"}
    custom = {name for row in rows for name in row.get("custom", {})}
    metrics: dict[str, Any] = {name: [row.get(name) for row in rows] for name in sorted(names)}
    if custom:
        metrics["custom"] = {
            name: [row.get("custom", {}).get(name) for row in rows] for name in sorted(custom)
        }
    return {"plugin_id": plugin_id, "timestamps": [ts for _, ts, _ in samples], "metrics": metrics}
