"""What the alert engine has evaluated, per plugin, kept so a crash never
leaves alert state out of step with the stored samples.

Samples are committed before they are evaluated. The engine notes the newest
evaluated sample of each plugin and stores these marks with the alert
changes they led to (one transaction), or within `MARK_SECONDS` when a batch
changed nothing. At start, every plugin's samples past its mark are
evaluated again, in order; history older than the throttle window is not
notified. Re-evaluating a sample whose mark was not yet stored changed
nothing the first time, so it changes nothing again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

# A batch that changed no alert stores its marks at most this late; a crash
# in between costs evaluating those samples again, which changes nothing.
MARK_SECONDS = 1.0


class EvaluationMarks:
    """Marks noted in memory and not yet stored (engine thread only)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._unstored: dict[int, float] = {}
        self._stored_at = clock()

    def note(self, plugin_id: int, ts: float) -> None:
        self._unstored[plugin_id] = ts

    @property
    def waiting(self) -> bool:
        return bool(self._unstored)

    def due(self) -> bool:
        return bool(self._unstored) and self._clock() - self._stored_at >= MARK_SECONDS

    def take(self) -> dict[int, float]:
        """The marks to store now; noted again by `give_back` if storing fails."""
        taken, self._unstored = self._unstored, {}
        self._stored_at = self._clock()
        return taken

    def give_back(self, marks: dict[int, float]) -> None:
        self._unstored = {**marks, **self._unstored}
