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

from sqlalchemy import Engine

from desktop_app.errors import OperatorError
from desktop_app.models.auth import ApiKey, Principal, Role
from desktop_app.services.storage.keys import KeyRows

KEY_PATTERN = re.compile(r"^pm_([0-9a-f]{8})_([A-Za-z0-9_-]{20,})$")
CACHE_SECONDS = 2.0


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class _Cached:
    hash: str
    key: ApiKey
    until: float


class ApiKeyStore:
    def __init__(self, engine: Engine) -> None:
        self._rows = KeyRows(engine)
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
        key_id = self._rows.insert(
            name=name, role=role, prefix=prefix, hash_=_hash(token), created_at=now
        )
        return ApiKey(key_id, name, role, prefix, now), token

    def list(self) -> list[ApiKey]:
        return self._rows.all()

    def revoke(self, key_id: int) -> ApiKey:
        key = self._rows.revoke(key_id, at=time.time())
        with self._lock:
            self._cache.pop(key.prefix, None)
            self._verified.clear()
        return key

    def get(self, key_id: int) -> ApiKey:
        return self._rows.get(key_id)

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
        found = self._rows.by_prefix(prefix)
        entry = _Cached(found[1], found[0], now + CACHE_SECONDS) if found else None
        with self._lock:
            self._cache[prefix] = entry
        return entry
