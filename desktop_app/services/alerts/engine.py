"""The alert engine: a worker thread that evaluates every committed sample.

It owns all alert changes — from samples, and from operators resolving or
acknowledging — so there is one active alert per (plugin, rule) without locks.
Each transition is stored through the writer, then published on the bus.

Live state follows time, not arrival: a sample older than the newest one
already evaluated for its plugin (a late retry, a history batch) is stored
and analysed but changes no alert, so a week-old "normal" sample can never
clear an alert that is true now.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from typing import TypeVar

import numpy as np

from desktop_app.models.alerts import Alert, AlertEvent, AlertEventKind
from desktop_app.models.levels import AlertLevel
from desktop_app.models.samples import Sample, SampleBlock
from desktop_app.services.alerts import changes
from desktop_app.services.alerts.book import AlertBook, Key
from desktop_app.services.alerts.evaluator import AlertEvaluator, Transition
from desktop_app.services.alerts.flapping import FlapDetector
from desktop_app.services.alerts.history import historical_alerts
from desktop_app.services.alerts.marks import MARK_SECONDS
from desktop_app.services.alerts.messages import (
    AlertNotFoundError,
    AlertNotStoredError,
    CatchUp,
    ChangeByHand,
    Evaluate,
    Flush,
    Message,
    Reload,
    SetThrottle,
    Stop,
)
from desktop_app.services.alerts.no_data import CHECK_SECONDS, NO_DATA, SilenceWatch
from desktop_app.services.alerts.quieting import Quieting
from desktop_app.services.alerts.rules import RULES, Rule
from desktop_app.services.alerts.silences import SilenceService
from desktop_app.services.alerts.storing import ChangeStore
from desktop_app.services.alerts.throttle import NotificationThrottle
from desktop_app.services.block_arrays import arrays_of
from desktop_app.services.events import EventBus
from desktop_app.services.plugins.registry import PluginRegistry
from desktop_app.services.storage.alerts import AlertQueries, PendingEvent
from desktop_app.services.storage.samples import SampleStore
from desktop_app.services.storage.writer import DatabaseWriter
from desktop_app.services.thresholds import ThresholdSettings
from desktop_app.services.workers import WorkerHealth, is_running, join, seconds_left

log = logging.getLogger("plugin_monitor.monitoring.alerts")
# Alert changes the database refused are tried again this often until stored;
# until then nobody is told of them and health says why.
STORE_RETRY_SECONDS = 2.0
T = TypeVar("T")


class AlertEngine:
    """Evaluates committed samples and owns every alert change (a `Worker`)."""

    name = "alert-engine"

    def __init__(
        self,
        *,
        queries: AlertQueries,
        writer: DatabaseWriter,
        registry: PluginRegistry,
        thresholds: ThresholdSettings,
        bus: EventBus[AlertEvent],
        throttle_seconds: float,
        clock: Callable[[], float] = time.time,
        rules: Iterable[Rule] = RULES,
        samples: SampleStore | None = None,
        no_data: SilenceWatch | None = None,
        watched: Callable[[str], bool] | None = None,
        silences: SilenceService | None = None,
        flap_limits: Callable[[], tuple[int, float]] | None = None,
    ) -> None:
        self._queries = queries
        self._writer = writer
        self._registry = registry
        self._bus = bus
        self._clock = clock
        self.evaluator = AlertEvaluator(thresholds.effective, rules)
        self._rules, self._thresholds_for = tuple(rules), thresholds.effective
        self.throttle = NotificationThrottle(throttle_seconds)
        self._book = AlertBook(self.throttle)
        # What other threads see: the open alerts as of the last stored change,
        # so an alert never looks resolved (or raised) before the database says so.
        self._visible: dict[Key, Alert] = {}
        self._queue: queue.SimpleQueue[Message] = queue.SimpleQueue()
        self._queued = 0  # samples submitted, not yet evaluated: what back-fills wait on
        self._queued_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._store = ChangeStore(writer)
        self._marks = self._store.marks
        self._crashes = 0
        self._samples = samples
        # Per plugin, the time of the newest sample evaluated.
        self._evaluated_until: dict[str, float] = {}
        self._late_samples = 0
        self._caught_up = 0
        self._no_data = no_data
        # Whether a plugin's silence matters now (enabled; collected while on).
        self._watched = watched or registry.is_enabled
        self._ticked_at = 0.0
        self._silences, self._flap_limits = silences, flap_limits
        self._quieting = self._new_quieting()

    def _new_quieting(self) -> Quieting:
        limits = self._flap_limits
        flaps = FlapDetector(limits) if limits is not None else None
        return Quieting(self._book, self._registry.id_for, self._silences, flaps)

    # -- lifecycle -------------------------------------------------------------

    def start(self) -> None:
        """Take up the alerts left open by the last run, then start evaluating."""
        self._take_up_stored()
        self._queue.put(CatchUp())
        self._thread = threading.Thread(target=self._run, name="alert-engine", daemon=True)
        self._thread.start()

    def _take_up_stored(self) -> None:
        left_open = self._queries.open_alerts()
        self._book.restore(left_open, self._queries.max_alert_id())
        for alert in left_open:
            self.evaluator.restore(alert.plugin_key, alert.rule, alert.level)
        self._visible = dict(self._book.open)

    def stop(self, deadline: float) -> bool:
        """Evaluate every sample the writer has accepted, then end."""
        if self._thread is None:
            return True
        try:
            self._writer.run_job(lambda _conn: None).result(seconds_left(deadline))
        except Exception as error:
            log.error("samples accepted before stopping were not all evaluated: %s", error)
        self._queue.put(Stop())
        return join(self._thread, deadline)

    def health(self) -> WorkerHealth:
        return WorkerHealth(
            self.name,
            running=is_running(self._thread),
            error=self._store.error,
            details={
                "backlog": self._queue.qsize(),
                "queued_samples": self._queued,
                "open_alerts": len(self._visible),
                "unstored_changes": len(self._store.unstored),
                "crashes": self._crashes,
                "late_samples": self._late_samples,
                "caught_up_samples": self._caught_up,
            },
        )

    # -- inputs (any thread) ------------------------------------------------

    def submit(self, samples: Sequence[Sample]) -> None:
        with self._queued_lock:
            self._queued += len(samples)
        self._queue.put(Evaluate(samples))

    @property
    def queued_samples(self) -> int:
        """Committed samples the engine has still to evaluate."""
        return self._queued

    def resolve(self, alert_id: int, *, actor: str, comment: str | None = None) -> Future[Alert]:
        return self._by_hand(AlertEventKind.RESOLVED, alert_id, actor, comment)

    def acknowledge(
        self, alert_id: int, *, actor: str, comment: str | None = None
    ) -> Future[Alert]:
        return self._by_hand(AlertEventKind.ACKNOWLEDGED, alert_id, actor, comment)

    def reopen(self, alert_id: int, *, actor: str) -> Future[Alert]:
        """Undo an operator's resolve of a moment ago: a `reopened` event."""
        return self._by_hand(AlertEventKind.REOPENED, alert_id, actor, None)

    def _by_hand(
        self, kind: AlertEventKind, alert_id: int, actor: str, comment: str | None
    ) -> Future[Alert]:
        future: Future[Alert] = Future()
        self._queue.put(ChangeByHand(kind, alert_id, actor, comment, future))
        return future

    def set_throttle(self, seconds: float) -> None:
        """Change the throttle window, between two evaluations (never during one)."""
        self._queue.put(SetThrottle(seconds))

    def reload(self) -> Future[None]:
        """Forget every alert state and take up the database's (it was
        replaced): its open alerts, then its samples past their marks."""
        future: Future[None] = Future()
        self._queue.put(Reload(future))
        return future

    def flush(self) -> Future[None]:
        """Completes once everything submitted before it has been handled."""
        future: Future[None] = Future()
        self._queue.put(Flush(future))
        return future

    def open_alerts(self) -> list[Alert]:
        return sorted(self._visible.values(), key=lambda a: a.id)

    # -- the engine thread ----------------------------------------------------

    def _run(self) -> None:
        while True:
            try:
                message = self._queue.get(timeout=self._idle_timeout())
            except queue.Empty:
                message = None
            if isinstance(message, Stop):
                self._store_and_publish([])
                return
            try:
                if message is not None:
                    self._handle(message)
                self._tick()
            except Exception:
                self._crashes += 1
                log.exception("alert engine failed on %s", type(message).__name__)
            if message is None:
                self._store_and_publish([])

    def _idle_timeout(self) -> float | None:
        """Wake to retry unstored changes, or to store marks left waiting."""
        if self._store.unstored:
            return STORE_RETRY_SECONDS
        if self._marks.waiting:
            return MARK_SECONDS
        watching = self._no_data is not None or self._quieting.waiting
        return CHECK_SECONDS if watching else None

    def _handle(self, message: Message) -> None:
        match message:
            case Evaluate(samples):
                try:
                    self._evaluate(samples)
                finally:
                    with self._queued_lock:
                        self._queued -= len(samples)
            case CatchUp():
                self._catch_up()
            case SetThrottle(seconds):
                self.throttle.window_seconds = seconds
            case Flush(future):
                future.set_result(None)
            case Reload(future):
                self._complete(future, self._reload)
            case ChangeByHand(AlertEventKind.REOPENED, alert_id, actor, _, future):
                self._complete(future, lambda: self._undo_resolve(alert_id, actor))
            case ChangeByHand(kind, alert_id, actor, comment, future):
                change = changes.by_hand(kind, actor, comment)
                self._complete(future, lambda: self._change_by_hand(alert_id, actor, kind, change))

    def _reload(self) -> None:
        """Changes the old database had not taken are dropped with it."""
        self._book = AlertBook(self.throttle)
        self.evaluator = AlertEvaluator(self._thresholds_for, self._rules)
        self._store = ChangeStore(self._writer)
        self._marks = self._store.marks
        self._evaluated_until = {}
        self._quieting = self._new_quieting()
        self._take_up_stored()
        self._catch_up()
        log.info("alert state taken up afresh from the replaced database")

    @staticmethod
    def _complete(future: Future[T], action: Callable[[], T]) -> None:
        try:
            future.set_result(action())
        except Exception as error:
            future.set_exception(error)

    def _catch_up(self) -> None:
        """Evaluate, in order, each plugin's samples past its stored mark: those
        a crash left unevaluated. Older than the throttle window, they change
        state but are not notified (history, not news)."""
        if self._samples is None:
            return
        marks = self._queries.evaluation_marks()
        quiet_before = self._clock() - self.throttle.window_seconds
        for plugin in self._registry.all():
            mark = marks.get(plugin.key)
            if mark is not None:
                self._evaluated_until[plugin.key] = mark
            newest = self._samples.newest_time(plugin.id)
            if newest is None or (mark is not None and newest <= mark):
                continue
            since = 0.0 if mark is None else mark + 1e-6
            missed = self._samples.window(plugin.id, plugin.key, since, newest)
            self._caught_up += len(missed)
            if self._no_data is not None:
                self._no_data.last_heard(plugin.key, newest)
            log.info(
                "evaluating %d samples of %s stored before the alert engine started",
                len(missed),
                plugin.key,
            )
            self._evaluate(missed, quiet_before=quiet_before)

    def _evaluate(self, samples: Sequence[Sample], *, quiet_before: float = 0.0) -> None:
        if isinstance(samples, SampleBlock) and not samples.extras and not samples.backfill:
            self._evaluate_block(samples)
            return
        pending: list[PendingEvent] = []
        until = self._evaluated_until
        history: list[Sample] = []
        for sample in samples:
            if not self._registry.is_enabled(sample.plugin_key):
                continue
            if sample.backfill:
                history.append(sample)
                continue
            if sample.ts < until.get(sample.plugin_key, sample.ts):
                self._late_samples += 1  # stored and analysed; the present stands
                continue
            until[sample.plugin_key] = sample.ts
            plugin_id = self._registry.id_for(sample.plugin_key)
            if plugin_id is not None:
                self._marks.note(plugin_id, sample.ts)
            if self._no_data is not None:
                self._heard(sample.plugin_key, pending)
            for transition in self.evaluator.evaluate(sample):
                pending.extend(self._apply(transition, quiet=sample.ts < quiet_before))
        if history:
            pending.extend(self._record_history(history))
        if pending or self._marks.due():
            self._store_and_publish(pending)

    def _evaluate_block(self, block: SampleBlock) -> None:
        """A columnar push, evaluated in bulk (`AlertEvaluator.evaluate_block`):
        every sample counts, late ones as in `_evaluate`. Each alert's changes
        inside the block are all recorded, and only its last one is notified:
        a spike within the block is in the history, the present is what is told.
        A change older than the throttle window (a forwarding agent's backlog)
        is history, not news: recorded, never notified."""
        key = block.plugin_key
        if not self._registry.is_enabled(key):
            return
        times, columns = arrays_of(block)
        before = np.maximum.accumulate(
            np.concatenate(([self._evaluated_until.get(key, -np.inf)], times))
        )
        kept = times >= before[:-1]
        self._late_samples += int(times.size - np.count_nonzero(kept))
        pending: list[PendingEvent] = []
        if kept.any():
            self._evaluated_until[key] = newest = float(before[-1])
            if (plugin_id := self._registry.id_for(key)) is not None:
                self._marks.note(plugin_id, newest)
            if self._no_data is not None:
                self._heard(key, pending)
            arrays = {name: values[kept] for name, values in columns.items()}
            failed = None if block.failed is None else np.asarray(block.failed, dtype=bool)[kept]
            transitions = self.evaluator.evaluate_block(key, times[kept], arrays, failed)
            last = {t.rule.name: index for index, t in enumerate(transitions)}
            history_before = self._clock() - self.throttle.window_seconds
            for index, t in enumerate(transitions):
                quiet = last[t.rule.name] != index or t.at < history_before
                pending.extend(self._apply(t, quiet=quiet))
        if pending or self._marks.due():
            self._store_and_publish(pending)

    def _record_history(self, samples: list[Sample]) -> list[PendingEvent]:
        """Historical alerts of back-filled samples. The samples count as
        evaluated, so a restart never takes them for live ones."""
        recorded, self._book.next_id = historical_alerts(
            samples,
            rules=self._rules,
            thresholds_for=self._thresholds_for,
            throttle_seconds=self.throttle.window_seconds,
            plugin_id=self._registry.id_for,
            first_id=self._book.next_id,
        )
        for sample in samples:
            if sample.ts > self._evaluated_until.get(sample.plugin_key, float("-inf")):
                self._evaluated_until[sample.plugin_key] = sample.ts
                if (plugin_id := self._registry.id_for(sample.plugin_key)) is not None:
                    self._marks.note(plugin_id, sample.ts)
        return recorded

    def _heard(self, plugin_key: str, pending: list[PendingEvent]) -> None:
        """A sample ends its plugin's silence, and resolves its no-data alert."""
        assert self._no_data is not None
        now = self._clock()
        silent = self._no_data.heard(plugin_key, now) or 0.0
        if (plugin_key, NO_DATA.name) in self._book.open:
            back = Transition(plugin_key, NO_DATA, AlertLevel.WARNING, None, silent, None, now)
            pending.extend(self._apply(back))

    def _tick(self) -> None:
        """Once a second: raise no-data for each watched plugin silent past its
        limit, and tell the alerts a silence that has ended kept quiet."""
        now = self._clock()
        if now - self._ticked_at < CHECK_SECONDS:
            return
        self._ticked_at = now
        pending = self._quieting.due(now)
        overdue = [] if self._no_data is None else self._no_data.overdue(now, self._watched)
        for late in overdue:
            if (late.plugin_key, NO_DATA.name) in self._book.open:
                continue
            t = Transition(
                late.plugin_key, NO_DATA, None, AlertLevel.WARNING, late.silent, late.limit, now
            )
            pending.extend(self._apply(t))
        if pending:
            self._store_and_publish(pending)

    def _apply(self, t: Transition, *, quiet: bool = False) -> list[PendingEvent]:
        plugin_id = self._registry.id_for(t.plugin_key)
        if plugin_id is None:
            return []
        now = self._clock()
        event = self._book.apply(t, plugin_id, now, quiet=quiet)
        return [] if event is None else self._quieting.apply(event, now)

    def _change_by_hand(
        self,
        alert_id: int,
        actor: str,
        kind: AlertEventKind,
        change: Callable[[Alert, float], Alert],
    ) -> Alert:
        """An operator's action on an open alert; on a closed one it changes nothing.

        A resolved alert starts its rule afresh: if the condition still holds,
        the next sample raises a new alert.
        """
        found = self._book.find(alert_id)
        if found is None:
            return self._closed_alert(alert_id)
        key, alert = found
        now = self._clock()
        changed = change(alert, now)
        self._book.changed_by_hand(key, changed)
        if not changed.is_open:
            self.evaluator.forget(*key)
        return self._store_by_hand(kind, changed, actor, now)

    def _undo_resolve(self, alert_id: int, actor: str) -> Alert:
        """The alert open again at its level, its rule's state restored."""
        alert = self._closed_alert(alert_id)
        key = (alert.plugin_key, alert.rule)
        now = self._clock()
        reopened = changes.undone(alert, now, newer_open=key in self._book.open)
        self._book.changed_by_hand(key, reopened)
        self.evaluator.restore(*key, reopened.level)
        return self._store_by_hand(AlertEventKind.REOPENED, reopened, actor, now)

    def _store_by_hand(self, kind: AlertEventKind, changed: Alert, actor: str, now: float) -> Alert:
        plugin_id = self._registry.id_for(changed.plugin_key)
        assert plugin_id is not None, "an alert always has a registered plugin"
        self._store_and_publish([PendingEvent(kind, changed, plugin_id, False, False, now, actor)])
        if self._store.unstored:
            raise AlertNotStoredError(
                f"alert {changed.id} is {kind.value} here, but the database refused the change "
                f"({self._store.error}); it is tried again every {STORE_RETRY_SECONDS:g} s"
            )
        log.info("alert %d %s by %s", changed.id, kind.value, actor)
        return changed

    def _closed_alert(self, alert_id: int) -> Alert:
        """Resolving an alert twice changes nothing; an unknown id is an error."""
        alert = self._queries.get(alert_id)
        if alert is None:
            raise AlertNotFoundError(alert_id)
        return alert

    def _store_and_publish(self, pending: list[PendingEvent]) -> None:
        """Store the changes (after any still unstored), then show and publish
        them. A change the database refuses is neither shown nor published."""
        events = self._store.store(pending)
        if events is None:
            return
        self._visible = dict(self._book.open)
        for event in (e for e in events if not e.alert.historical):  # stored, never told
            if event.notify and event.kind in (AlertEventKind.RAISED, AlertEventKind.REOPENED):
                log.info("alert %d %s: %s", event.alert.id, event.kind, event.alert.message)
            self._bus.publish(event)
