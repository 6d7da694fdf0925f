"""Many rows into one table in one go, as an upsert on its primary key.

SQLite: one executemany of the upsert on SQLite's own cursor (a statement
costs microseconds in-process). PostgreSQL: each statement is a message to
the server, so the rows are copied (COPY) into a temporary table and merged
with one INSERT … SELECT … ON CONFLICT. One statement must not meet a key
twice, so rows with the same key are merged first, as the upsert would have
merged them one after another.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Dialect, MetaData, Table, select
from sqlalchemy.schema import CreateTable
from sqlalchemy.sql import Executable

from desktop_app.services.storage.prepared import Prepared, statement, upsert

_staging = MetaData()


class Upsert:
    """The upsert of `columns` into `table`, for either engine."""

    def __init__(self, table: Table, columns: Sequence[str], *, merge: bool = False) -> None:
        self.table, self.columns, self.merge = table, tuple(columns), merge
        key = tuple(column.name for column in table.primary_key.columns)
        if self.columns[: len(key)] != key:
            raise ValueError(f"{table.name}: the columns must start with the key {key}")
        self._keys = len(key)
        self._staging = Table(
            f"incoming_{table.name}",
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
        return upsert(dialect, self.table, self.columns, merge=self.merge)

    def _merge_statement(self, dialect: Dialect) -> Executable:
        source = select(*self._staging.c)
        return upsert(dialect, self.table, self.columns, merge=self.merge, source=source)

    def run(self, conn: Connection, rows: Sequence[Sequence[Any]]) -> None:
        """Store `rows` (tuples in `columns` order) in the caller's transaction."""
        if conn.dialect.name != "postgresql":
            self._rows(conn.dialect).run_many(conn, self.columns, rows)
            return
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


def _merged(earlier: Sequence[Any], later: Sequence[Any]) -> tuple[Any, ...]:
    """A later non-null value wins; a true flag stays true (as `upsert`'s merge)."""
    return tuple(
        (old or new) if isinstance(new, bool) else (old if new is None else new)
        for old, new in zip(earlier, later, strict=True)
    )
