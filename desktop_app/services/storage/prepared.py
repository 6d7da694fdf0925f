"""Core statements compiled once per dialect, run on the driver's own cursor.

The hot paths (the writer's executemany, analytics reading thousands of rows
into numpy) skip SQLAlchemy's result rows, which cost the 24-hour analytics
window about a third more time. The statements themselves are SQLAlchemy Core,
so their text is right for whichever dialect the engine speaks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Dialect,
    Select,
    Table,
    bindparam,
    func,
    literal_column,
    or_,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import ClauseElement


@dataclass(frozen=True, slots=True)
class Prepared:
    """A statement's text for one dialect and the order of its parameters."""

    sql: str
    names: tuple[str, ...] | None  # positional order; None where the driver takes names
    fixed: Mapping[str, Any]  # values the statement carries itself, such as LIMIT 1

    @classmethod
    def of(cls, statement: Executable, dialect: Dialect) -> Prepared:
        assert isinstance(statement, ClauseElement)
        compiled: Any = statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup or ()) if dialect.positional else None
        fixed = {
            name: value for name, value in (compiled.params or {}).items() if value is not None
        }
        return cls(compiled.string, names, fixed)

    def params(self, values: Mapping[str, Any]) -> Sequence[Any] | Mapping[str, Any]:
        if self.fixed:
            values = {**self.fixed, **values}
        if self.names is None:
            return values
        return tuple(values[name] for name in self.names)

    def many(self, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Sequence[Any]:
        """Parameter sets for an executemany, from tuples in `columns` order."""
        if self.names == tuple(columns):
            return rows
        return [self.params(dict(zip(columns, row, strict=True))) for row in rows]

    def fetch(self, driver: Any, **values: Any) -> list[tuple[Any, ...]]:
        """Rows as plain tuples from a DB-API connection."""
        rows: list[tuple[Any, ...]] = driver.execute(self.sql, self.params(values)).fetchall()
        return rows

    def scalar(self, driver: Any, **values: Any) -> Any:
        row = driver.execute(self.sql, self.params(values)).fetchone()
        return None if row is None else row[0]

    def run(self, conn: Connection, **values: Any) -> int:
        """Execute in a SQLAlchemy transaction; the number of rows it touched."""
        return int(conn.exec_driver_sql(self.sql, self.params(values)).rowcount)

    def first(self, conn: Connection, **values: Any) -> Any:
        """The first column of the first row, in a SQLAlchemy transaction."""
        return conn.exec_driver_sql(self.sql, self.params(values)).scalar()

    def run_many(self, conn: Connection, columns: Sequence[str], rows: Sequence[Any]) -> None:
        """One executemany of `rows`, tuples in `columns` order."""
        conn.exec_driver_sql(self.sql, self.many(columns, rows))


def statement(build: Callable[[Dialect], Executable]) -> Callable[[Dialect], Prepared]:
    """Compile `build(dialect)` the first time a dialect asks, then reuse it."""
    cache: dict[tuple[str, str], Prepared] = {}
    lock = threading.Lock()

    def prepared(dialect: Dialect) -> Prepared:
        key = (dialect.name, dialect.paramstyle)
        found = cache.get(key)
        if found is None:
            with lock:
                found = cache[key] = Prepared.of(build(dialect), dialect)
        return found

    prepared.__doc__ = build.__doc__
    return prepared


def upsert(
    dialect: Dialect,
    table: Table,
    columns: Sequence[str],
    *,
    merge: bool = False,
    source: Select[Any] | None = None,
    fixed: Mapping[str, int] | None = None,
) -> Executable:
    """INSERT … ON CONFLICT (primary key) DO UPDATE: a retried write replaces
    its earlier row instead of failing or storing it twice. With `merge`, a
    column the new row leaves NULL keeps its stored value (a later non-null
    value wins, nothing is summed), and a true flag stays true. The rows are
    bound parameters, or `source`'s (INSERT … SELECT); a column in `fixed`
    takes that integer, written into the statement."""

    insert = postgresql.insert if dialect.name == "postgresql" else sqlite.insert
    keys = [column.name for column in table.primary_key.columns]
    stmt = (
        insert(table).from_select(list(columns), source)
        if source is not None
        else insert(table).values(
            {
                name: literal_column(str(int(fixed[name])))
                if fixed and name in fixed
                else bindparam(name)
                for name in columns
            }
        )
    )
    new, stored = stmt.excluded, table.c

    def merged(name: str) -> Any:
        if not merge:
            return new[name]
        if isinstance(stored[name].type, Boolean):
            return or_(new[name], stored[name])
        return func.coalesce(new[name], stored[name])

    return stmt.on_conflict_do_update(
        index_elements=keys, set_={name: merged(name) for name in columns if name not in keys}
    )
