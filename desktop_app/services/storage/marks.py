"""Evaluation marks: per plugin, the time of the newest sample the alert
engine has evaluated. Samples are committed before they are evaluated, so
after a crash the samples past a plugin's mark are the ones to evaluate
again; the mark lives on the plugin's row."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, Engine, and_, bindparam, or_, select, update

from desktop_app.models import tables

_p = tables.plugins.c


def evaluation_marks(engine: Engine) -> dict[str, float | None]:
    """Every plugin's mark by key; None where nothing was evaluated yet (or the
    database predates marks)."""
    with engine.connect() as conn:
        rows = conn.execute(select(_p.key, _p.evaluated_until)).all()
    return {key: None if mark is None else tables.from_micros(mark) for key, mark in rows}


_ADVANCE = (
    update(tables.plugins)
    .where(
        and_(
            _p.id == bindparam("plugin"),
            or_(_p.evaluated_until.is_(None), _p.evaluated_until < bindparam("mark")),
        )
    )
    .values(evaluated_until=bindparam("mark"))
)


def store_marks(conn: Connection, marks: Mapping[int, float]) -> None:
    """Move marks forward (never back), in the caller's transaction."""
    if marks:
        conn.execute(
            _ADVANCE,
            [{"plugin": plugin, "mark": tables.to_micros(ts)} for plugin, ts in marks.items()],
        )
