"""A problem the operator should see: a fault in a background part that is
not an alert about a plugin (an invalid settings edit, an unexpected error)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    source: str  # the part it comes from: "settings", "thread collector", …
    message: str  # one line, in the operator's words
    at: float


# The source of the problem said when the database file is found damaged while
# the monitor runs; the console answers it with an offer to restore a backup.
DATABASE_DAMAGED = "database damaged"
