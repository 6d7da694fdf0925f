"""How the engine stores alert changes: each group with the evaluation marks
it led to, in one writer transaction, so a crash never leaves alert state
and marks out of step. A group the database refuses is kept, in order, and
stored before anything newer on the next try; until then nobody is told."""

from __future__ import annotations

import logging

from sqlalchemy import Connection

from desktop_app.models.alerts import AlertEvent
from desktop_app.services.alerts.marks import EvaluationMarks
from desktop_app.services.storage.alerts import PendingEvent, store_events
from desktop_app.services.storage.marks import store_marks
from desktop_app.services.storage.writer import DatabaseWriter

log = logging.getLogger("plugin_monitor.monitoring.alerts")

WRITE_TIMEOUT = 30.0


class ChangeStore:
    """Engine thread only."""

    def __init__(self, writer: DatabaseWriter) -> None:
        self._writer = writer
        self.marks = EvaluationMarks()
        # Changes whose storing failed: stored (then published) before anything
        # newer, so the stream never skips or reorders one.
        self.unstored: list[PendingEvent] = []
        self.error: str | None = None

    def store(self, pending: list[PendingEvent]) -> list[AlertEvent] | None:
        """The stored events (those still waiting first), or None when the
        database refused them (kept for the next try) or there was nothing."""
        batch = self.unstored + pending
        if not batch and not self.marks.waiting:
            return None
        marks = self.marks.take()

        def store(conn: Connection) -> list[AlertEvent]:
            events = store_events(conn, batch)
            store_marks(conn, marks)  # in the same transaction as what they led to
            return events

        try:
            events = self._writer.call(store, WRITE_TIMEOUT)
        except Exception as error:
            self.marks.give_back(marks)
            if not batch:
                return None  # marks alone: tried again with the next ones
            if not self.unstored:
                log.error("could not store %d alert changes: %s", len(batch), error)
            self.unstored = batch
            self.error = f"{len(batch)} alert changes not stored yet: {error}"
            return None
        if self.unstored:
            log.info("stored %d alert changes that had waited", len(self.unstored))
        self.unstored = []
        self.error = None
        return events
