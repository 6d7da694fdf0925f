"""The API keys repository: rows of keys, stored only as hashes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, Row, or_, select

from desktop_app.errors import OperatorError
from desktop_app.models import tables
from desktop_app.models.auth import ApiKey, KeyScope, Role
from desktop_app.services.storage.audit import audit

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
        revoked_at=_time(row.revoked_at),
        last_used_at=_time(row.last_used_at),
        last_used_from=row.last_used_from,
        scope=KeyScope(
            ingest_only=bool(row.ingest_only),
            plugins=row.plugins,
            expires_at=_time(row.expires_at),
        ),
    )


def _time(micros: int | None) -> float | None:
    return None if micros is None else tables.from_micros(micros)


def _row(conn: Connection, key_id: int) -> Row[Any]:
    row = conn.execute(select(tables.api_keys).where(_k.id == key_id)).first()
    if row is None:
        raise KeyNotFoundError(f"no API key with id {key_id}")
    return row


class KeyRows:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def insert(self, key: ApiKey, *, hash_: str, actor: str) -> int:
        """Store a new key (its id not yet known) and audit it; its id."""
        expires = key.scope.expires_at
        row = {
            "name": key.name,
            "role": int(key.role),
            "prefix": key.prefix,
            "hash": hash_,
            "created_at": tables.to_micros(key.created_at),
            "ingest_only": key.scope.ingest_only,
            "plugins": key.scope.plugins,
            "expires_at": None if expires is None else tables.to_micros(expires),
        }
        with self._engine.begin() as conn:
            inserted = conn.execute(tables.api_keys.insert(), row).inserted_primary_key
            assert inserted is not None, "an insert into api_keys returns its key"
            key_id = int(inserted[0])
            audit(
                conn,
                actor=actor,
                action="key.create",
                target=f"key {key_id}",
                new_value=f"{key.name} ({key.role.label}, {key.scope.describe()}, "
                f"pm_{key.prefix}_…)",
            )
        return key_id

    def all(self) -> list[ApiKey]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(tables.api_keys).order_by(_k.id)).all()
        return [_from_row(row) for row in rows]

    def get(self, key_id: int) -> ApiKey:
        with self._engine.connect() as conn:
            return _from_row(_row(conn, key_id))

    def revoke(self, key_id: int, *, at: float, actor: str) -> ApiKey:
        """Mark the key revoked and audit it (once: a second revoke keeps the first time)."""
        with self._engine.begin() as conn:
            row = _row(conn, key_id)
            if row.revoked_at is None:
                conn.execute(
                    tables.api_keys.update()
                    .where(_k.id == key_id)
                    .values(revoked_at=tables.to_micros(at))
                )
                audit(
                    conn,
                    actor=actor,
                    action="key.revoke",
                    target=f"key {key_id}",
                    new_value=row.name,
                )
        return self.get(key_id)

    def by_prefix(self, prefix: str) -> tuple[ApiKey, str] | None:
        """The key with this prefix and its stored hash, if there is one."""
        with self._engine.connect() as conn:
            row = conn.execute(select(tables.api_keys).where(_k.prefix == prefix)).first()
        return None if row is None else (_from_row(row), row.hash)


def record_uses(conn: Connection, uses: dict[int, tuple[float, str | None]]) -> None:
    """Each key's last use and its address, never moved back (a later use
    may be stored already)."""
    for key_id, (at, address) in uses.items():
        micros = tables.to_micros(at)
        conn.execute(
            tables.api_keys.update()
            .where(_k.id == key_id, or_(_k.last_used_at.is_(None), _k.last_used_at < micros))
            .values(last_used_at=micros, last_used_from=address)
        )
