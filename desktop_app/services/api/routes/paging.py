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


def utc(text: str | None, field: str) -> float | None:
    """A query time (`QueryTime`) as epoch seconds; without a zone it is UTC.
    A date that does not exist (2026-02-30) is a 422 naming `field`."""
    if text is None:
        return None
    if text.isdigit():
        return float(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadBody(
            422, "invalid request", [{"field": field, "problem": f"{text!r} is not a real time"}]
        ) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
