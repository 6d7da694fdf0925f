"""The plugins repository: registered plugins' rows; changes are writer jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, Row, select

from desktop_app.models import tables
from desktop_app.models.plugins import PluginInfo, PluginSource, ProcessSpec

_p = tables.plugins.c


def load_all(engine: Engine) -> list[PluginInfo]:
    with engine.connect() as conn:
        return [_from_row(row) for row in conn.execute(select(tables.plugins))]


def _columns(info: PluginInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "enabled": info.enabled,
        "process_pid": info.process.pid if info.process else None,
        "process_name": info.process.name if info.process else None,
        "process_cmdline": info.process.cmdline if info.process else None,
    }


def insert_job(info: PluginInfo) -> Callable[[Connection], int]:
    """A writer job storing a new plugin (or finding one stored meanwhile); its id."""
    values = {
        **_columns(info),
        "key": info.key,
        "source": info.source.value,
        "created_at": tables.to_micros(info.created_at),
        "registered_by": info.registered_by,
        "host": info.host,
    }

    def insert(conn: Connection) -> int:
        found = conn.execute(select(_p.id).where(_p.key == info.key)).scalar()
        if found is not None:
            return int(found)
        key_row = conn.execute(tables.plugins.insert(), values).inserted_primary_key
        assert key_row is not None, "an insert into plugins returns its key"
        return int(key_row[0])

    return insert


def update_job(info: PluginInfo) -> Callable[[Connection], None]:
    """A writer job storing a plugin's name, state and watched process."""
    values = _columns(info)

    def update(conn: Connection) -> None:
        conn.execute(tables.plugins.update().where(_p.id == info.id).values(values))

    return update


def _from_row(row: Row[Any]) -> PluginInfo:
    spec = ProcessSpec(pid=row.process_pid, name=row.process_name, cmdline=row.process_cmdline)
    return PluginInfo(
        id=row.id,
        key=row.key,
        name=row.name,
        source=PluginSource(row.source),
        enabled=bool(row.enabled),
        created_at=tables.from_micros(row.created_at),
        last_seen=tables.from_micros(row.last_seen) if row.last_seen is not None else None,
        process=spec if spec != ProcessSpec() else None,
        registered_by=row.registered_by,
        host=row.host,
    )
