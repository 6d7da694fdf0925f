"""The API keys repository: rows of keys, stored only as hashes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, Row, or_, select

from desktop_app.errors import OperatorError
from desktop_app.models import tables
from desktop_app.models.auth import ApiKey, Role

_k = tables.api_keys.c


class KeyNotFoundError(OperatorError):
    pass


def _from_row(row: Row[Any]) -> ApiKey:
    return ApiKey(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        prefix=row.prefix,
        created_at=tables.from_micros(row.created_at),
        revoked_at=tables.from_micros(row.revoked_at) if row.revoked_at is not None else None,
        last_used_at=(
            tables.from_micros(row.last_used_at) if row.last_used_at is not None else None
        ),
    )


def _row(conn: Connection, key_id: int) -> Row[Any]:
    row = conn.execute(select(tables.api_keys).where(_k.id == key_id)).first()
    if row is None:
        raise KeyNotFoundError(f"no API key with id {key_id}")
    return row


class KeyRows:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def insert(self, *, name: str, role: Role, prefix: str, hash_: str, created_at: float) -> int:
        """Store a new key; its id."""
        row = {
            "name": name,
            "role": int(role),
            "prefix": prefix,
            "hash": hash_,
            "created_at": tables.to_micros(created_at),
        }
        with self._engine.begin() as conn:
            key_id = conn.execute(tables.api_keys.insert(), row).inserted_primary_key
        assert key_id is not None, "an insert into api_keys returns its key"
        return int(key_id[0])

    def all(self) -> list[ApiKey]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(tables.api_keys).order_by(_k.id)).all()
        return [_from_row(row) for row in rows]

    def get(self, key_id: int) -> ApiKey:
        with self._engine.connect() as conn:
            return _from_row(_row(conn, key_id))

    def revoke(self, key_id: int, *, at: float) -> ApiKey:
        """Mark the key revoked (once: a second revoke keeps the first time)."""
        with self._engine.begin() as conn:
            row = _row(conn, key_id)
            if row.revoked_at is None:
                conn.execute(
                    tables.api_keys.update()
                    .where(_k.id == key_id)
                    .values(revoked_at=tables.to_micros(at))
                )
        return self.get(key_id)

    def by_prefix(self, prefix: str) -> tuple[ApiKey, str] | None:
        """The key with this prefix and its stored hash, if there is one."""
        with self._engine.connect() as conn:
            row = conn.execute(select(tables.api_keys).where(_k.prefix == prefix)).first()
        return None if row is None else (_from_row(row), row.hash)


def record_uses(conn: Connection, uses: dict[int, float]) -> None:
    """Each key's last use, never moved back (a later use may be stored already)."""
    for key_id, at in uses.items():
        micros = tables.to_micros(at)
        conn.execute(
            tables.api_keys.update()
            .where(_k.id == key_id, or_(_k.last_used_at.is_(None), _k.last_used_at < micros))
            .values(last_used_at=micros)
        )
