"""Many rows into one table in one go, as an upsert on its primary key.

SQLite: one executemany of the upsert on SQLite's own cursor (a statement
costs microseconds in-process). PostgreSQL: each statement is a message to
the server, so the rows are copied (COPY) into a temporary table and merged
with one INSERT … SELECT … ON CONFLICT. One statement must not meet a key
twice, so rows with the same key are merged first, as the upsert would have
merged them one after another.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Dialect, MetaData, Table, select
from sqlalchemy.schema import CreateTable
from sqlalchemy.sql import Executable

from desktop_app.services.storage.prepared import Prepared, statement
from desktop_app.services.storage.prepared import upsert as prepared_upsert

# SQLite binds at most 32,766 parameters a statement; 500 rows of the widest
# row (17) bind 8,500.
ROWS_A_STATEMENT = 500
# Columns whose value every row shares, as (name, integer) pairs.
Fixed = tuple[tuple[str, int], ...]

_staging = MetaData()


class Upsert:
    """The upsert of `columns` into `table`, for either engine."""

    def __init__(
        self, table: Table, columns: Sequence[str], *, merge: bool = False, staging: str = ""
    ) -> None:
        self.table, self.columns, self.merge = table, tuple(columns), merge
        key = tuple(column.name for column in table.primary_key.columns)
        if self.columns[: len(key)] != key:
            raise ValueError(f"{table.name}: the columns must start with the key {key}")
        self._keys = len(key)
        self._staging = Table(
            staging or f"incoming_{table.name}",
            _staging,
            *(Column(name, table.c[name].type) for name in self.columns),
            prefixes=["TEMPORARY"],
            postgresql_on_commit="DELETE ROWS",
        )
        self._rows: Callable[[Dialect], Prepared] = statement(self._row_statement)
        self._from_staging: Callable[[Dialect], Prepared] = statement(self._merge_statement)
        self._create_staging: Callable[[Dialect], Prepared] = statement(
            lambda _dialect: CreateTable(self._staging, if_not_exists=True)
        )

    def _row_statement(self, dialect: Dialect) -> Executable:
        return prepared_upsert(dialect, self.table, self.columns, merge=self.merge)

    def _merge_statement(self, dialect: Dialect) -> Executable:
        source = select(*self._staging.c)
        return prepared_upsert(dialect, self.table, self.columns, merge=self.merge, source=source)

    def run(self, conn: Connection, rows: Sequence[Sequence[Any]], fixed: Fixed = ()) -> None:
        """Store `rows` in the caller's transaction: tuples in `columns` order,
        without the columns `fixed` gives one integer for (a block's plugin).
        SQLite carries those in the statement's text: binding 6 parameters a
        row instead of 8 took a block of the guide's five metrics from 409,000
        to 546,000 rows/s. PostgreSQL copies them into each row."""
        if conn.dialect.name != "postgresql":
            if fixed:
                bound = [name for name in self.columns if name not in dict(fixed)]
                _run_sqlite(_with_values(self, conn.dialect, fixed), conn, bound, rows)
            else:
                _run_sqlite(self._rows(conn.dialect), conn, self.columns, rows)
            return
        if fixed:
            rows = _filled(self.columns, rows, dict(fixed))
        self._create_staging(conn.dialect).run(conn)  # once a session; then a no-op
        with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            columns = ", ".join(self.columns)
            with cursor.copy(f"COPY {self._staging.name} ({columns}) FROM STDIN") as copy:
                for row in self._one_per_key(rows):
                    copy.write_row(row)
        self._from_staging(conn.dialect).run(conn)

    def _one_per_key(self, rows: Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
        keys = self._keys
        found: dict[tuple[Any, ...], Sequence[Any]] = {}
        for row in rows:
            key = tuple(row[:keys])
            earlier = found.get(key)
            found[key] = row if earlier is None or not self.merge else _merged(earlier, row)
        return rows if len(found) == len(rows) else list(found.values())


def _run_sqlite(
    prepared: Prepared, conn: Connection, columns: Sequence[str], rows: Sequence[Any]
) -> None:
    """Many rows as statements of `ROWS_A_STATEMENT` rows each, fewer as one
    executemany. sqlite3 lets go of the GIL for every statement it steps, so an
    executemany waits for the GIL once a row: beside a busy Python thread (the
    API parsing the next body) each wait can last the 5 ms switch interval.
    With a spinning thread beside it, 800-row statements stored 80,000 rows/s
    and executemany under 1,000; alone, 706,000 against 532,000."""
    if len(rows) < ROWS_A_STATEMENT:
        prepared.run_many(conn, columns, rows)
        return
    head, row, tail = _parts(prepared.sql)
    values = prepared.many(columns, rows)
    for start in range(0, len(values), ROWS_A_STATEMENT):
        chunk = values[start : start + ROWS_A_STATEMENT]
        sql = f"{head}{', '.join([row] * len(chunk))}{tail}"
        conn.exec_driver_sql(sql, tuple(itertools.chain.from_iterable(chunk)))


@functools.cache
def _parts(sql: str) -> tuple[str, str, str]:
    """`INSERT … VALUES `, the row's `(…)` and ` ON CONFLICT …` of an upsert."""
    head, _, rest = sql.partition(" VALUES ")
    row, _, tail = rest.partition(" ON CONFLICT ")
    return f"{head} VALUES ", row, f" ON CONFLICT {tail}"


@functools.lru_cache(maxsize=1024)
def _with_values(upsert: Upsert, dialect: Dialect, fixed: Fixed) -> Prepared:
    return Prepared.of(
        prepared_upsert(
            dialect, upsert.table, upsert.columns, merge=upsert.merge, fixed=dict(fixed)
        ),
        dialect,
    )


def _filled(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], fixed: dict[str, int]
) -> list[tuple[Any, ...]]:
    """Rows with the fixed columns' values put back in their places."""
    places = [
        (columns.index(name), value)
        for name, value in sorted(fixed.items(), key=lambda f: columns.index(f[0]))
    ]
    filled = []
    for row in rows:
        values = list(row)
        for place, value in places:
            values.insert(place, value)
        filled.append(tuple(values))
    return filled


def _merged(earlier: Sequence[Any], later: Sequence[Any]) -> tuple[Any, ...]:
    """A later non-null value wins; a true flag stays true (as `upsert`'s merge)."""
    return tuple(
        (old or new) if isinstance(new, bool) else (old if new is None else new)
        for old, new in zip(earlier, later, strict=True)
    )
