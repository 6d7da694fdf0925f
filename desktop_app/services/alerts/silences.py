"""Silences as the engine, the API and the command line use them: checked
when made, kept in the database, and matched from a snapshot that is read
again every few seconds, so a silence made by `plugin-monitor silence add`
beside a running monitor takes effect within `REFRESH_SECONDS`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from desktop_app.errors import OperatorError
from desktop_app.models.alerts import Alert
from desktop_app.models.levels import AlertLevel
from desktop_app.models.silences import Silence
from desktop_app.services.storage.silences import SilenceRows

REFRESH_SECONDS = 5.0
LONGEST_SECONDS = 366 * 86400


class SilenceError(OperatorError):
    """A silence that cannot be made as asked (422)."""


class SilenceNotFoundError(OperatorError):
    def __init__(self, silence_id: int) -> None:
        super().__init__(f"no silence with id {silence_id}")


class SilenceService:
    def __init__(self, rows: SilenceRows, clock: Callable[[], float] = time.time) -> None:
        self._rows = rows
        self._clock = clock
        self._current: tuple[Silence, ...] = ()
        self._loaded_at = float("-inf")

    def add(
        self,
        *,
        plugin_key: str | None,
        rule: str | None,
        level: AlertLevel | None,
        starts_at: float | None,
        ends_at: float,
        comment: str,
        actor: str,
    ) -> Silence:
        """A new silence from `starts_at` (default now) to `ends_at`."""
        now = self._clock()
        starts = now if starts_at is None else starts_at
        if not comment.strip():
            raise SilenceError("a silence needs a comment: say why the alerts are silenced")
        if ends_at <= max(starts, now):
            raise SilenceError("a silence must end after it starts, and in the future")
        if ends_at - starts > LONGEST_SECONDS:
            raise SilenceError("a silence lasts at most a year; make a new one after")
        silence = Silence(0, plugin_key, rule, level, starts, ends_at, comment.strip(), actor, now)
        stored = self._rows.add(silence)
        self.reload()
        return stored

    def remove(self, silence_id: int, actor: str) -> Silence:
        removed = self._rows.remove(silence_id, actor)
        if removed is None:
            raise SilenceNotFoundError(silence_id)
        self.reload()
        return removed

    def current(self) -> list[Silence]:
        """Silences on now or due to start, as last read (refreshed when due)."""
        now = self._clock()
        if now - self._loaded_at >= REFRESH_SECONDS:
            self.reload()
        return [silence for silence in self._current if silence.ends_at > now]

    def matching(self, alert: Alert, now: float) -> Silence | None:
        return next((s for s in self.current() if s.matches(alert, now)), None)

    def reload(self) -> None:
        self._current = tuple(self._rows.current(self._clock()))
        self._loaded_at = self._clock()
