"""The rollups repository: reading a plugin's buckets, writing them through
the writer, and retention's batched deletion."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, bindparam, func, select
from sqlalchemy.sql import Executable

from desktop_app.models import tables
from desktop_app.models.rollups import ROLLUP_COLUMNS
from desktop_app.services.storage.prepared import statement, upsert

# Columns of a rollup row, in the order `Buckets.rows` gives them.
ROW_COLUMNS: tuple[str, ...] = ("plugin_id", "step", "bucket", "samples", "failed", *ROLLUP_COLUMNS)
_u = tables.rollups.c
_of_level = (_u.plugin_id == bindparam("plugin_id")) & (_u.step == bindparam("step"))


@statement
def _newest(_dialect: Dialect) -> Executable:
    return select(func.max(_u.bucket)).where(_of_level)


@statement
def _buckets(_dialect: Dialect) -> Executable:
    return (
        select(*(_u[name] for name in ("bucket", "samples", "failed", *ROLLUP_COLUMNS)))
        .where(_of_level, _u.bucket >= bindparam("start"), _u.bucket < bindparam("end"))
        .order_by(_u.bucket)
    )


@statement
def _upsert(dialect: Dialect) -> Executable:
    return upsert(dialect, tables.rollups, ROW_COLUMNS)


@statement
def _nth_before(_dialect: Dialect) -> Executable:
    return (
        select(_u.bucket)
        .where(_of_level, _u.bucket < bindparam("cut"))
        .order_by(_u.bucket)
        .limit(1)
        .offset(bindparam("skip"))
    )


@statement
def _delete_before(_dialect: Dialect) -> Executable:
    return tables.rollups.delete().where(_of_level, _u.bucket < bindparam("bound"))


class RollupReads:
    """Rollup reads on a DB-API connection (see `SampleReader`)."""

    def __init__(self, driver: Any, dialect: Dialect) -> None:
        self.driver = driver
        self.dialect = dialect

    def newest_bucket(self, plugin_id: int, step: int) -> int | None:
        """Start (µs) of the newest stored bucket of this step, or None."""
        found = _newest(self.dialect).scalar(self.driver, plugin_id=plugin_id, step=step)
        return None if found is None else int(found)

    def buckets(self, plugin_id: int, step: int, start: int, end: int) -> list[tuple[Any, ...]]:
        """(bucket, samples, failed, every rollup column…) with start <= bucket < end."""
        return _buckets(self.dialect).fetch(
            self.driver, plugin_id=plugin_id, step=step, start=start, end=end
        )


def write_job(rows: Sequence[tuple[object, ...]]) -> Callable[[Connection], None]:
    """A writer job storing rollup rows (in ROW_COLUMNS order), replacing any
    earlier version of the same buckets."""

    def job(conn: Connection) -> None:
        _upsert(conn.dialect).run_many(conn, ROW_COLUMNS, rows)

    return job


def delete_before(conn: Connection, *, plugin_id: int, step: int, cut: int, batch: int) -> int:
    """A writer job: delete up to `batch` of the oldest buckets before `cut`."""
    level = {"plugin_id": plugin_id, "step": step}
    bound = _nth_before(conn.dialect).first(conn, **level, cut=cut, skip=batch - 1)
    bound = cut if bound is None else int(bound) + 1
    return _delete_before(conn.dialect).run(conn, **level, bound=bound)
