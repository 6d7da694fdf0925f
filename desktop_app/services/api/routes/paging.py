"""Paging and times shared by the listings (alerts, audit)."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop_app.services.api.errors import BadBody

MAX_ID = 2**63 - 1  # SQLite's largest integer: a larger cursor overflowed into a 500


def cursor_id(cursor: str | None) -> int | None:
    """The id a `next_cursor` names; 422 naming `cursor` for anything else."""
    if cursor is None:
        return None
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
    if not (cursor.isascii() and cursor.isdigit()) or not 1 <= int(cursor) <= MAX_ID:
        raise BadBody(
            422,
            "invalid request",
            [{"field": "cursor", "problem": "use next_cursor from the previous page"}],
        )
    return int(cursor)


def utc(moment: datetime | None) -> float | None:
    """Query times without a zone are taken as UTC."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
