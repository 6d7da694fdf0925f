"""The samples repository: a plugin's window as samples, as raw columns for
numpy, as export pages; its custom metrics and per-request response times;
and retention's batched deletion.

One plugin's window is one range scan of the clustered (plugin, time) key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, Table, bindparam, func, select
from sqlalchemy.sql import Executable

from desktop_app.models import tables
from desktop_app.models.samples import STANDARD_METRICS, Sample
from desktop_app.services.storage.prepared import Prepared, statement
from desktop_app.services.storage.rollups import RollupReads

RAW_COLUMNS: tuple[str, ...] = ("ts", *STANDARD_METRICS, "failed")
_s = tables.samples.c
_x = tables.sample_extras.c
_r = tables.response_times.c


def _in_window(columns: Any) -> Any:
    return (
        (columns.plugin_id == bindparam("plugin_id"))
        & (columns.ts >= bindparam("since"))
        & (columns.ts <= bindparam("until"))
    )


@statement
def _raw(_dialect: Dialect) -> Executable:
    return select(*(_s[name] for name in RAW_COLUMNS)).where(_in_window(_s)).order_by(_s.ts)


@statement
def _page(_dialect: Dialect) -> Executable:
    return (
        select(*(_s[name] for name in RAW_COLUMNS))
        .where(_in_window(_s))
        .order_by(_s.ts)
        .limit(bindparam("rows"))
    )


@statement
def _latest(_dialect: Dialect) -> Executable:
    return (
        select(*(_s[name] for name in RAW_COLUMNS))
        .where(_s.plugin_id == bindparam("plugin_id"), _s.ts <= bindparam("until"))
        .order_by(_s.ts.desc())
        .limit(1)
    )


@statement
def _first_ts(_dialect: Dialect) -> Executable:
    return select(func.min(_s.ts)).where(
        _s.plugin_id == bindparam("plugin_id"), _s.ts >= bindparam("since")
    )


@statement
def _request_times(_dialect: Dialect) -> Executable:
    return select(_r.seconds).where(_in_window(_r))


@statement
def _sample_response_times(_dialect: Dialect) -> Executable:
    return select(_s.response_time).where(_in_window(_s), _s.response_time.is_not(None))


@statement
def _extras(_dialect: Dialect) -> Executable:
    return select(_x.ts, _x.name, _x.value).where(_in_window(_x)).order_by(_x.ts, _x.name)


@statement
def _nth_before(_dialect: Dialect) -> Executable:
    return (
        select(_s.ts)
        .where(_s.plugin_id == bindparam("plugin_id"), _s.ts < bindparam("cut"))
        .order_by(_s.ts)
        .limit(1)
        .offset(bindparam("skip"))
    )


def _delete_before(table: Table) -> Callable[[Dialect], Prepared]:
    @statement
    def build(_dialect: Dialect) -> Executable:
        c = table.c
        return table.delete().where(
            c.plugin_id == bindparam("plugin_id"), c.ts < bindparam("bound")
        )

    return build


# Side tables first: their rows belong to the samples being deleted.
_DELETES = tuple(
    _delete_before(table) for table in (tables.sample_extras, tables.response_times, tables.samples)
)


class SampleReader(RollupReads):
    """Reads on one pooled connection, as plain tuples (what numpy wants)."""

    def raw(self, plugin_id: int, since_us: int, until_us: int) -> list[tuple[Any, ...]]:
        """(ts, every standard metric…, failed) with since <= ts <= until, oldest first."""
        return _raw(self.dialect).fetch(
            self.driver, plugin_id=plugin_id, since=since_us, until=until_us
        )

    def latest(self, plugin_id: int, until_us: int) -> list[tuple[Any, ...]]:
        """The newest sample at or before `until_us`, as `raw` rows (none or one)."""
        return _latest(self.dialect).fetch(self.driver, plugin_id=plugin_id, until=until_us)

    def first_ts(self, plugin_id: int, since_us: int = 0) -> int | None:
        """Time (µs) of the plugin's oldest sample at or after `since_us`."""
        found = _first_ts(self.dialect).scalar(self.driver, plugin_id=plugin_id, since=since_us)
        return None if found is None else int(found)

    def response_times(self, plugin_id: int, since_us: int, until_us: int) -> list[float]:
        """Per-request response times the plugin sent within the window."""
        window = {"plugin_id": plugin_id, "since": since_us, "until": until_us}
        return [row[0] for row in _request_times(self.dialect).fetch(self.driver, **window)]

    def sample_response_times(self, plugin_id: int, since_us: int, until_us: int) -> list[float]:
        """The samples' own response times within the window."""
        window = {"plugin_id": plugin_id, "since": since_us, "until": until_us}
        return [row[0] for row in _sample_response_times(self.dialect).fetch(self.driver, **window)]

    def extras(self, plugin_id: int, since_us: int, until_us: int) -> list[tuple[Any, ...]]:
        """(ts, name, value) of the custom and host metrics in the window, by time."""
        window = {"plugin_id": plugin_id, "since": since_us, "until": until_us}
        return _extras(self.dialect).fetch(self.driver, **window)


class SampleStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @contextmanager
    def reading(self) -> Iterator[SampleReader]:
        """A reader on one pooled connection for several reads in a row."""
        with self._engine.connect() as conn:
            yield SampleReader(conn.connection.driver_connection, conn.dialect)

    def window(self, plugin_id: int, plugin_key: str, since: float, until: float) -> list[Sample]:
        """Samples with since <= ts <= until, oldest first, with their custom metrics."""
        since_us, until_us = tables.to_micros(since), tables.to_micros(until)
        with self.reading() as reader:
            rows = reader.raw(plugin_id, since_us, until_us)
            extras = reader.extras(plugin_id, since_us, until_us)
        by_time: dict[int, dict[str, float]] = {}
        for ts, name, value in extras:
            by_time.setdefault(ts, {})[name] = value
        return [
            Sample(
                plugin_key,
                tables.from_micros(row[0]),
                **dict(zip(STANDARD_METRICS, row[1:-1], strict=True)),
                failed=bool(row[-1]),
                extras=by_time.get(row[0], {}),
            )
            for row in rows
        ]

    def newest_time(self, plugin_id: int) -> float | None:
        """The time of the plugin's newest stored sample (one index seek)."""
        query = select(func.max(_s.ts)).where(_s.plugin_id == plugin_id)
        with self._engine.connect() as conn:
            newest = conn.execute(query).scalar_one()
        return None if newest is None else tables.from_micros(newest)

    def last_samples(self, plugins: Mapping[str, int]) -> dict[str, Sample]:
        """Each plugin's newest stored sample (two index seeks a plugin), so a
        console that starts shows every card's last known values."""
        last: dict[str, Sample] = {}
        for key, plugin_id in plugins.items():
            newest = self.newest_time(plugin_id)
            if newest is not None and (found := self.window(plugin_id, key, newest, newest)):
                last[key] = found[-1]
        return last

    def count(self, plugin_ids: Sequence[int], since: float, until: float) -> int:
        query = select(func.count()).where(
            _s.plugin_id.in_(list(plugin_ids)),
            _s.ts >= tables.to_micros(since),
            _s.ts <= tables.to_micros(until),
        )
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def extra_names(self, plugin_ids: Sequence[int], since: float, until: float) -> list[str]:
        """The custom metric names stored for these plugins within the window."""
        query = (
            select(_x.name)
            .where(
                _x.plugin_id.in_(list(plugin_ids)),
                _x.ts >= tables.to_micros(since),
                _x.ts <= tables.to_micros(until),
            )
            .distinct()
            .order_by(_x.name)
        )
        with self._engine.connect() as conn:
            return [row[0] for row in conn.execute(query)]

    def pages(
        self, plugin_id: int, since: float, until: float, *, page_rows: int
    ) -> Iterator[tuple[list[tuple[Any, ...]], Mapping[int, dict[str, float]]]]:
        """`raw` rows in pages of at most `page_rows`, oldest first, each with
        its custom metrics by time; one short read per page."""
        after, end = tables.to_micros(since) - 1, tables.to_micros(until)
        while True:
            with self.reading() as reader:
                rows = _page(reader.dialect).fetch(
                    reader.driver, plugin_id=plugin_id, since=after + 1, until=end, rows=page_rows
                )
                if not rows:
                    return
                extras = reader.extras(plugin_id, rows[0][0], rows[-1][0])
            by_time: dict[int, dict[str, float]] = {}
            for ts, name, value in extras:
                by_time.setdefault(ts, {})[name] = value
            yield rows, by_time
            after = rows[-1][0]


def delete_before(conn: Connection, *, plugin_id: int, cut: int, batch: int) -> int:
    """A writer job: delete up to `batch` of the plugin's oldest samples with
    ts < cut (and their custom metrics and response times); the samples deleted."""
    bound = _nth_before(conn.dialect).first(conn, plugin_id=plugin_id, cut=cut, skip=batch - 1)
    bound = cut if bound is None else int(bound) + 1
    deleted = 0
    for prepared in _DELETES:
        deleted = prepared(conn.dialect).run(conn, plugin_id=plugin_id, bound=bound)
    return deleted
