"""What keeps a true alert quiet, and for how long: silences (the operator
said so) and flapping (the alert said too much). Every change is still
stored and streamed; only its notification waits, and what waited is told
once when the reason ends: `unsilenced` when a silence ends over an open
alert, `settled` when a flapping alert has been stable for the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from desktop_app.models.alerts import Alert, AlertEventKind
from desktop_app.services.alerts.book import AlertBook
from desktop_app.services.alerts.flapping import FlapDetector
from desktop_app.services.alerts.silences import SilenceService
from desktop_app.services.storage.alerts import PendingEvent

CHANGES = frozenset(
    {
        AlertEventKind.RAISED,
        AlertEventKind.REOPENED,
        AlertEventKind.ESCALATED,
        AlertEventKind.DEESCALATED,
        AlertEventKind.RESOLVED,
    }
)


class Quieting:
    """Engine thread only."""

    def __init__(
        self,
        book: AlertBook,
        plugin_id: Callable[[str], int | None],
        silences: SilenceService | None = None,
        flaps: FlapDetector | None = None,
    ) -> None:
        self._book = book
        self._plugin_id = plugin_id
        self._silences = silences
        self._flaps = flaps
        self._held: set[int] = set()  # open alerts a silence kept quiet

    @property
    def waiting(self) -> bool:
        """Whether something may become due with time alone."""
        return bool(self._held) or self._flaps is not None

    def apply(self, event: PendingEvent, now: float) -> list[PendingEvent]:
        """`event` as it is to be stored: quiet while flapping or silenced,
        preceded by nothing and followed by a `flapping` event when it starts."""
        events = (
            self._damp(event, now) if event.kind in CHANGES and event.actor is None else [event]
        )
        return [self._silence(e, now) for e in events]

    def due(self, now: float) -> list[PendingEvent]:
        """What waited and may be told now."""
        return self._settled(now) + self._unsilenced(now)

    def _damp(self, event: PendingEvent, now: float) -> list[PendingEvent]:
        if self._flaps is None:
            return [event]
        key = (event.alert.plugin_key, event.alert.rule)
        started = self._flaps.changed(key, now)
        if not self._flaps.is_flapping(key):
            return [event]
        alert = replace(event.alert, flapping=True)
        self._book.update(alert)
        held = replace(event, alert=alert, notify=False)
        if not started:
            return [held]
        flapping = PendingEvent(AlertEventKind.FLAPPING, alert, event.plugin_id, False, False, now)
        return [held, flapping]

    def _silence(self, event: PendingEvent, now: float) -> PendingEvent:
        if self._silences is None:
            return event
        if event.kind is AlertEventKind.RESOLVED:
            self._held.discard(event.alert.id)
        if self._silences.matching(event.alert, now) is None:
            return event
        if event.notify and event.alert.is_open:
            self._held.add(event.alert.id)
        return replace(event, notify=False, silenced=True)

    def _settled(self, now: float) -> list[PendingEvent]:
        if self._flaps is None:
            return []
        told = []
        for key in self._flaps.settled(now):
            alert = self._book.latest(key)
            if alert is None:
                continue
            calm = replace(alert, flapping=False)
            self._book.update(calm)
            if (event := self._told(AlertEventKind.SETTLED, calm, now)) is not None:
                told.append(self._silence(event, now))
        self._flaps.forget_quiet(now)
        return told

    def _unsilenced(self, now: float) -> list[PendingEvent]:
        if self._silences is None:
            return []
        told = []
        for alert_id in sorted(self._held):
            found = self._book.find(alert_id)
            if found is not None and self._silences.matching(found[1], now) is not None:
                continue
            self._held.discard(alert_id)
            if found is not None and (
                event := self._told(AlertEventKind.UNSILENCED, found[1], now)
            ):
                told.append(event)
        return told

    def _told(self, kind: AlertEventKind, alert: Alert, now: float) -> PendingEvent | None:
        plugin_id = self._plugin_id(alert.plugin_key)
        return None if plugin_id is None else PendingEvent(kind, alert, plugin_id, False, True, now)
