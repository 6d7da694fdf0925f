"""API keys: generated once, stored only as a hash, revocable (R21).

A key reads `pm_<prefix>_<secret>`. The prefix finds the row; the SHA-256 of
the whole key is compared in constant time. Keys are 256-bit random, so a
fast hash is enough — there is nothing to brute-force. Verified keys are
cached for a couple of seconds so a busy API does not query per request; a
key created or revoked by another process (the CLI) takes effect within that
time, one revoked through this store at once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, select

from desktop_app.errors import OperatorError
from desktop_app.models import tables
from desktop_app.models.auth import ApiKey, Principal, Role

KEY_PATTERN = re.compile(r"^pm_([0-9a-f]{8})_([A-Za-z0-9_-]{20,})$")
CACHE_SECONDS = 2.0


class KeyNotFoundError(OperatorError):
    pass


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _from_row(row: Row[Any]) -> ApiKey:
    return ApiKey(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        prefix=row.prefix,
        created_at=tables.from_micros(row.created_at),
        revoked_at=tables.from_micros(row.revoked_at) if row.revoked_at is not None else None,
    )


def _key_row(conn: Connection, key_id: int) -> Row[Any]:
    row = conn.execute(select(tables.api_keys).where(tables.api_keys.c.id == key_id)).first()
    if row is None:
        raise KeyNotFoundError(f"no API key with id {key_id}")
    return row


@dataclass(frozen=True)
class _Cached:
    hash: str
    key: ApiKey
    until: float


class ApiKeyStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._cache: dict[str, _Cached | None] = {}
        self._verified: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def create(self, *, name: str, role: Role) -> tuple[ApiKey, str]:
        """A new key and its secret; the secret is never stored or shown again."""
        if not 1 <= len(name) <= 200:
            raise OperatorError("a key name must be 1 to 200 characters")
        prefix = secrets.token_hex(4)
        token = f"pm_{prefix}_{secrets.token_urlsafe(32)}"
        now = time.time()
        with self._engine.begin() as conn:
            result = conn.execute(
                tables.api_keys.insert(),
                {
                    "name": name,
                    "role": int(role),
                    "prefix": prefix,
                    "hash": _hash(token),
                    "created_at": tables.to_micros(now),
                },
            )
            key_id = result.inserted_primary_key
        assert key_id is not None, "an insert into api_keys returns its key"
        return ApiKey(int(key_id[0]), name, role, prefix, now), token

    def list(self) -> list[ApiKey]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(tables.api_keys).order_by(tables.api_keys.c.id)).all()
        return [_from_row(row) for row in rows]

    def revoke(self, key_id: int) -> ApiKey:
        with self._engine.begin() as conn:
            row = _key_row(conn, key_id)
            if row.revoked_at is None:
                conn.execute(
                    tables.api_keys.update()
                    .where(tables.api_keys.c.id == key_id)
                    .values(revoked_at=tables.to_micros(time.time()))
                )
        with self._lock:
            self._cache.pop(row.prefix, None)
            self._verified.clear()
        return self.get(key_id)

    def get(self, key_id: int) -> ApiKey:
        with self._engine.connect() as conn:
            return _from_row(_key_row(conn, key_id))

    def verify(self, token: str) -> Principal | None:
        """The principal for a valid, unrevoked key; None for anything else.

        A key verified in the last seconds is taken from memory without
        hashing it again; that is what a busy client presents every time.
        """
        now = time.monotonic()
        recent = self._verified.get(token)
        if recent is not None and recent[1] > now:
            return recent[0]
        principal = self._check(token, now)
        if principal is not None:
            if len(self._verified) > 10_000:
                self._verified.clear()
            self._verified[token] = (principal, now + CACHE_SECONDS)
        return principal

    def _check(self, token: str, now: float) -> Principal | None:
        match = KEY_PATTERN.match(token)
        if match is None:
            return None
        prefix = match.group(1)
        cached = self._cache.get(prefix)
        if cached is None or cached.until < now:
            cached = self._load(prefix, now)
        if cached is None or cached.key.revoked:
            return None
        if not hmac.compare_digest(cached.hash, _hash(token)):
            return None
        return Principal(name=cached.key.name, role=cached.key.role, key_id=cached.key.id)

    def _load(self, prefix: str, now: float) -> _Cached | None:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(tables.api_keys).where(tables.api_keys.c.prefix == prefix)
            ).first()
        entry = _Cached(row.hash, _from_row(row), now + CACHE_SECONDS) if row else None
        with self._lock:
            self._cache[prefix] = entry
        return entry
