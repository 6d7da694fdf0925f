"""What reaches the alert engine's thread, and the errors its answers carry.

Everything that changes an alert is a message on one queue, handled in
order by the engine's one thread, so there is no lock around alert state.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from desktop_app.errors import OperatorError
from desktop_app.models.alerts import Alert, AlertEventKind
from desktop_app.models.samples import Sample


@dataclass(frozen=True, slots=True)
class Evaluate:
    """Committed samples to evaluate."""

    samples: Sequence[Sample]


@dataclass(frozen=True, slots=True)
class ChangeByHand:
    """An operator resolves or acknowledges an alert."""

    kind: AlertEventKind
    alert_id: int
    actor: str
    comment: str | None
    future: Future[Alert]


@dataclass(frozen=True, slots=True)
class SetThrottle:
    """A new notification throttle window, in seconds."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Flush:
    """Completes once everything queued before it has been handled."""

    future: Future[None]


@dataclass(frozen=True, slots=True)
class CatchUp:
    """Evaluate what was stored but not evaluated before the last stop."""


@dataclass(frozen=True, slots=True)
class Reload:
    """The database was replaced (a restore): take up its alerts afresh."""

    future: Future[None]


@dataclass(frozen=True, slots=True)
class Stop:
    pass


Message = Evaluate | ChangeByHand | SetThrottle | Flush | CatchUp | Reload | Stop


class AlertNotFoundError(OperatorError):
    def __init__(self, alert_id: int) -> None:
        super().__init__(f"no alert with id {alert_id}")
        self.alert_id = alert_id


class AlertNotStoredError(OperatorError):
    """The database refused an operator's change; it is retried, not lost."""
