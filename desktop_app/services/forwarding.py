"""A forwarding agent (`plugin-monitor serve --forward-to URL`): this host's
monitor sends every committed sample on to a central monitor.

Samples go to the central monitor through the columnar route, under plugin
ids prefixed with this host's name (`web01.billing`), in the order they were
committed here. Until the centre acknowledges them they wait in an outbox on
disk (`forward-buffer.db`, `storage/forward_buffer.py`), so a centre that is
down, or an agent restarted meanwhile, loses nothing; the outbox is bounded
(`forward.buffer_mb`) and beyond it the oldest are dropped, counted and said.
A batch the centre refuses for what it holds (a clock ahead of the centre's)
is dropped, counted and said, never retried for ever; one it cannot take now
(not reachable, 429, 503, or its key refused until it is fixed) is retried
with a growing pause; one over the centre's body limit (413) goes in halves.
The centre's upsert on (plugin, time) merges a batch sent twice after a lost
answer, so nothing is stored twice. Alerts are not forwarded: the centre evaluates the
samples itself, so nothing is told twice.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.client.monitor import Monitor, MonitorError
from desktop_app.client.pusher import HALVE, RETRY, after_refusal, columns_of
from desktop_app.models.problems import Problem
from desktop_app.models.samples import STANDARD_METRICS, Sample, public_name
from desktop_app.services.events import EventBus
from desktop_app.services.storage.forward_buffer import ForwardBuffer, Queued
from desktop_app.services.workers import WorkerHealth, is_running, join

log = logging.getLogger("plugin_monitor.forwarding")

BATCH = 10_000
MAX_PAUSE_SECONDS = 30.0


@dataclass
class ForwardStats:
    forwarded: int = 0
    refused: int = 0  # the centre refused them (422): dropped
    dropped_full: int = 0  # the outbox was full: the oldest dropped
    last_error: str | None = None
    last_sent_at: float | None = None
    waiting: int = 0  # in the outbox, as of the forwarder's last look


def push_metrics(sample: Sample) -> dict[str, Any]:
    """A stored sample as the push API names its metrics."""
    metrics: dict[str, Any] = {
        public_name(name): value
        for name in STANDARD_METRICS
        if (value := getattr(sample, name)) is not None
    }
    if sample.failed:
        metrics["failed"] = True
    return {**metrics, **sample.extras}


class Forwarder:
    """A worker: `note` (any thread) queues committed samples; its thread
    moves them into the outbox and sends the outbox on."""

    name = "forwarder"

    def __init__(
        self,
        *,
        target: Monitor,
        buffer: ForwardBuffer,
        host: str,
        buffer_bytes: int,
        problems: EventBus[Problem] | None = None,
    ) -> None:
        self.target, self.buffer, self.host = target, buffer, host
        self.buffer_bytes = buffer_bytes
        self.problems = problems
        self.stats = ForwardStats()
        self._batch = BATCH  # halved while the centre finds a batch too large (413)
        self._incoming: queue.SimpleQueue[Sequence[Sample]] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def note(self, samples: Sequence[Sample]) -> None:
        """A committed group (the writer's thread): queued, nothing more."""
        self._incoming.put(samples)
        self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()
        self._wake.set()  # what the outbox kept from the last run goes first

    def stop(self, deadline: float) -> bool:
        """What reached the queue is put in the outbox before the thread ends."""
        self._stopping = True
        self._wake.set()
        stopped = join(self._thread, deadline)
        if stopped:
            self.buffer.close()
        return stopped

    def health(self) -> WorkerHealth:
        return WorkerHealth(
            self.name,
            running=is_running(self._thread),
            error=self.stats.last_error,
            details={
                "target": self.target.url,
                "waiting": self.stats.waiting,
                "forwarded": self.stats.forwarded,
                "refused": self.stats.refused,
                "dropped_full": self.stats.dropped_full,
                "last_sent_at": self.stats.last_sent_at,
            },
        )

    def _run(self) -> None:
        """New samples go to the outbox at once; sending waits out the pause
        after a failure (0.5 s, doubling to 30 s), whatever arrives meanwhile."""
        pause, next_try = 0.0, 0.0
        while True:
            self._wake.wait(max(0.0, next_try - time.monotonic()) if pause else None)
            self._wake.clear()
            self._take_in()
            if self._stopping:
                return
            if time.monotonic() < next_try:
                continue
            pause = 0.0 if self._send_waiting() else min(max(pause * 2, 0.5), MAX_PAUSE_SECONDS)
            next_try = time.monotonic() + pause

    def _take_in(self) -> None:
        rows: list[tuple[str, float, dict[str, Any]]] = []
        while True:
            try:
                samples = self._incoming.get_nowait()
            except queue.Empty:
                break
            rows.extend(
                (sample.plugin_key, sample.ts, push_metrics(sample))
                for sample in samples
                if not sample.backfill
            )
        if rows:
            self.buffer.add(rows)
            self._keep_within_bounds()
        self.stats.waiting = self.buffer.count()

    def _keep_within_bounds(self) -> None:
        if self.buffer.size_bytes() <= self.buffer_bytes:
            return
        dropped = self.buffer.drop_oldest(max(1, self.buffer.count() // 10))
        self.stats.dropped_full += dropped
        self._say(
            f"the outbox for {self.target.url} is full (forward.buffer_mb): its "
            f"{dropped:,} oldest samples were dropped"
        )

    def _send_waiting(self) -> bool:
        """Send the outbox in order until it is empty (True) or the centre
        cannot take more now (False: wait and retry)."""
        while not self._stopping:
            waiting = self.buffer.oldest(self._batch)
            if not waiting:
                self.stats.waiting = 0
                return True
            try:
                self._send(waiting)
            except MonitorError as error:
                self.stats.last_error = str(error)
                outcome = after_refusal(error, len(waiting))
                if outcome == HALVE:
                    self._batch = len(waiting) // 2
                    continue
                if outcome == RETRY:
                    log.warning("cannot forward to %s now, will retry: %s", self.target.url, error)
                    return False
                self.stats.refused += len(waiting)
                self._say(
                    f"{self.target.url} refused {len(waiting):,} samples of "
                    f"{waiting[0][1]}, which were dropped: {error}"
                )
            else:
                self.stats.forwarded += len(waiting)
                self.stats.last_sent_at = time.time()
                self.stats.last_error = None
            self.buffer.remove([seq for seq, _, _, _ in waiting])
            self.stats.waiting = max(0, self.stats.waiting - len(waiting))
        return True

    def _send(self, waiting: list[Queued]) -> None:
        plugin_id = f"{self.host}.{waiting[0][1]}"
        body = columns_of(plugin_id, [(plugin_id, ts, metrics) for _, _, ts, metrics in waiting])
        try:
            self.target.push_columns(body)
        except MonitorError as error:
            if error.status != 404:
                raise
            self.target.register(plugin_id, f"{waiting[0][1]} on {self.host}", host=self.host)
            self.target.push_columns(body)

    def _say(self, message: str) -> None:
        log.warning("%s", message)
        if self.problems is not None:
            self.problems.publish(Problem("forwarding", message, time.time()))
