"""Reading a plugin's history as buckets: rollups for the complete buckets
already rolled up, raw samples for the edges and the newest part.

A window therefore costs about the same whatever its length, and agrees
exactly with what the raw samples alone would give for counts, sums,
averages, minima and maxima.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine

from desktop_app.models import tables
from desktop_app.models.rollups import ROLLUP_COLUMNS, ROLLUP_METRICS, RollupLevel
from desktop_app.services.analytics.buckets import (
    Buckets,
    Floats,
    Ints,
    concat,
    from_rows,
    summarise,
)

RAW_SELECT = (
    f"SELECT ts, {', '.join(ROLLUP_METRICS)}, failed FROM samples "
    "WHERE plugin_id = ? AND ts >= ? AND ts <= ? ORDER BY ts"
)
LATEST_SELECT = (
    f"SELECT ts, {', '.join(ROLLUP_METRICS)}, failed FROM samples "
    "WHERE plugin_id = ? AND ts <= ? ORDER BY ts DESC LIMIT 1"
)
ROLLUP_SELECT = (
    f"SELECT bucket, samples, failed, {', '.join(ROLLUP_COLUMNS)} FROM rollups "
    "WHERE plugin_id = ? AND step = ? AND bucket >= ? AND bucket < ? ORDER BY bucket"
)


@dataclass(frozen=True)
class RawWindow:
    """Raw samples, oldest first: times (µs), metric values (NaN = absent), failed flags."""

    ts: Ints
    values: Floats
    failed: Ints

    def __len__(self) -> int:
        return len(self.ts)


def to_window(rows: list[tuple[object, ...]]) -> RawWindow:
    """Rows selected as (ts, ROLLUP_METRICS…, failed) as arrays."""
    if not rows:
        width = len(ROLLUP_METRICS)
        return RawWindow(np.zeros(0, np.int64), np.zeros((0, width)), np.zeros(0, np.int64))
    table = np.array(rows, dtype=np.float64)
    return RawWindow(
        ts=np.array([row[0] for row in rows], dtype=np.int64),
        values=table[:, 1:-1],
        failed=table[:, -1].astype(np.int64),
    )


def read_raw(conn: sqlite3.Connection, plugin_id: int, since_us: int, until_us: int) -> RawWindow:
    return to_window(conn.execute(RAW_SELECT, (plugin_id, since_us, until_us)).fetchall())


def rolled_until(conn: sqlite3.Connection, plugin_id: int, level: RollupLevel) -> int | None:
    """End (µs) of the newest stored bucket of this level, or None if none is stored."""
    newest = conn.execute(
        "SELECT max(bucket) FROM rollups WHERE plugin_id = ? AND step = ?",
        (plugin_id, level.step),
    ).fetchone()[0]
    return None if newest is None else int(newest) + level.step_us


@contextmanager
def dbapi_connection(engine: Engine) -> Iterator[sqlite3.Connection]:
    """The pool's sqlite3 connection itself: numpy wants plain tuples, fast."""
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        yield driver


class History:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def buckets(self, plugin_id: int, since: float, until: float, level: RollupLevel) -> Buckets:
        """Buckets of `level` covering since <= ts <= until; the first and last
        may be partial (only the samples inside the window count)."""
        since_us, until_us = tables.to_micros(since), tables.to_micros(until)
        step = level.step_us
        first_full = -(-since_us // step) * step
        with dbapi_connection(self._engine) as conn:
            mark = rolled_until(conn, plugin_id, level) or first_full
            end_full = min((until_us + 1) // step * step, mark)
            if end_full <= first_full:
                return self._summarise(read_raw(conn, plugin_id, since_us, until_us), step)
            head = read_raw(conn, plugin_id, since_us, first_full - 1)
            middle = conn.execute(
                ROLLUP_SELECT, (plugin_id, level.step, first_full, end_full)
            ).fetchall()
            tail = read_raw(conn, plugin_id, end_full, until_us)
        return concat(self._summarise(head, step), from_rows(middle), self._summarise(tail, step))

    def raw(self, plugin_id: int, since: float, until: float) -> RawWindow:
        with dbapi_connection(self._engine) as conn:
            return read_raw(conn, plugin_id, tables.to_micros(since), tables.to_micros(until))

    def latest(self, plugin_id: int, until: float) -> RawWindow:
        """The newest sample at or before `until` (empty if there is none)."""
        with dbapi_connection(self._engine) as conn:
            rows = conn.execute(
                LATEST_SELECT,
                (plugin_id, tables.to_micros(until)),
            ).fetchall()
        return to_window(rows)

    @staticmethod
    def _summarise(raw: RawWindow, step: int) -> Buckets:
        return summarise(raw.ts, raw.values, raw.failed, step)
