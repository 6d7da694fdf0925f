"""API keys: generated once, stored only as a hash, revocable (R21).

A key reads `pm_<prefix>_<secret>`. The prefix finds the row; the SHA-256 of
the whole key is compared in constant time. Keys are 256-bit random, so a
fast hash is enough — there is nothing to brute-force. Verified keys are
cached for a couple of seconds so a busy API does not query per request; a
key created or revoked by another process (the CLI) takes effect within that
time, one revoked through this store at once.

Each key's last use is kept in memory and handed to the database writer at
most once a minute (`USE_WRITE_SECONDS`; a key's first use since the start at
once), grouped with the samples it writes
anyway, so a busy client costs no write per request; "last use" is exact to
that minute, and the uses of the last minute before a stop are not stored.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine

from desktop_app.errors import OperatorError
from desktop_app.models.auth import ApiKey, KeyScope, Principal, Role
from desktop_app.services.storage.keys import KeyRows, record_uses
from desktop_app.services.storage.writer import WriterStoppedError

log = logging.getLogger("plugin_monitor.api.auth")

KEY_PATTERN = re.compile(r"^pm_([0-9a-f]{8})_([A-Za-z0-9_-]{20,})$")
CACHE_SECONDS = 2.0
USE_WRITE_SECONDS = 60.0
EVERYTHING = KeyScope()  # what its role allows, on every plugin, for good
PREFIX_MEMORY = 4096  # key prefixes remembered as known or unknown (~1 MiB at most)
RunJob = Callable[[Callable[[Connection], None]], "Future[Any]"]


def tried_key(token: str) -> str:
    """A presented key as a log line may name it: its public prefix only."""
    match = KEY_PATTERN.match(token)
    return f"the API key pm_{match.group(1)}_…" if match else "a token that is not an API key"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class _Cached:
    hash: str
    key: ApiKey
    until: float


class ApiKeyStore:
    """`run_job` (the database writer's) records the keys' last use; a store
    without it (the command line, the console's keys page) records none."""

    def __init__(self, engine: Engine, run_job: RunJob | None = None) -> None:
        self._rows = KeyRows(engine)
        self._run_job = run_job
        self._uses: dict[int, tuple[float, str | None]] = {}
        self._seen: set[int] = set()
        self._uses_written = time.monotonic()
        self._cache: dict[str, _Cached | None] = {}
        self._verified: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def create(
        self, *, name: str, role: Role, actor: str = "system", scope: KeyScope = EVERYTHING
    ) -> tuple[ApiKey, str]:
        """A new key and its secret; the secret is never stored or shown again."""
        if not 1 <= len(name) <= 200:
            raise OperatorError("a key name must be 1 to 200 characters")
        if len(scope.plugins) > 200:
            raise OperatorError("a key's plugin pattern must be at most 200 characters")
        prefix = secrets.token_hex(4)
        token = f"pm_{prefix}_{secrets.token_urlsafe(32)}"
        key = ApiKey(0, name, role, prefix, time.time(), scope=scope)
        key_id = self._rows.insert(key, hash_=_hash(token), actor=actor)
        return replace(key, id=key_id), token

    def list(self) -> list[ApiKey]:
        return self._rows.all()

    def revoke(self, key_id: int, *, actor: str = "system") -> ApiKey:
        key = self._rows.revoke(key_id, at=time.time(), actor=actor)
        with self._lock:
            self._cache.pop(key.prefix, None)
            self._verified.clear()
        return key

    def forget_cached(self, _reason: object = None) -> None:
        """The database was replaced (a restore): read every key afresh."""
        with self._lock:
            self._cache.clear()
            self._verified.clear()

    @property
    def prefixes_remembered(self) -> int:
        """Key prefixes held as known or unknown: at most PREFIX_MEMORY."""
        return len(self._cache)

    def get(self, key_id: int) -> ApiKey:
        return self._rows.get(key_id)

    def verify(self, token: str, address: str | None = None) -> Principal | None:
        """The principal for a valid, unrevoked, unexpired key, its use (and
        the address it came from) recorded; None for anything else."""
        principal = self.check(token)
        if principal is not None:
            self._used(principal, address, time.monotonic())
        return principal

    def check(self, token: str) -> Principal | None:
        """`verify` without counting a use (the monitor checking its own key).

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

    def _used(self, principal: Principal, address: str | None, now: float) -> None:
        if self._run_job is None or principal.key_id is None:
            return
        with self._lock:
            self._uses[principal.key_id] = (time.time(), address)
            first = principal.key_id not in self._seen  # a key's first use shows at once
            self._seen.add(principal.key_id)
        if first or now - self._uses_written >= USE_WRITE_SECONDS:
            self.write_uses(now)

    def write_uses(self, now: float | None = None) -> None:
        """Hand the uses since the last write to the writer (it does not wait)."""
        with self._lock:
            uses, self._uses = self._uses, {}
            self._uses_written = time.monotonic() if now is None else now
        if not uses or self._run_job is None:
            return
        try:
            self._run_job(lambda conn: record_uses(conn, uses))
        except WriterStoppedError:  # stopping: these last uses are not stored
            log.debug("the last use of %d API keys was not stored: the monitor stops", len(uses))

    def _check(self, token: str, now: float) -> Principal | None:
        match = KEY_PATTERN.match(token)
        if match is None:
            return None
        prefix = match.group(1)
        cached = self._cache.get(prefix)
        if cached is None or cached.until < now:
            cached = self._load(prefix, now)
        key = cached.key if cached is not None else None
        if cached is None or key is None or key.revoked or key.expired(time.time()):
            return None
        if not hmac.compare_digest(cached.hash, _hash(token)):
            return None
        return Principal(name=key.name, role=key.role, key_id=key.id, scope=key.scope)

    def _load(self, prefix: str, now: float) -> _Cached | None:
        found = self._rows.by_prefix(prefix)
        entry = _Cached(found[1], found[0], now + CACHE_SECONDS) if found else None
        with self._lock:
            if len(self._cache) >= PREFIX_MEMORY:
                self._cache.clear()  # a flood of invented prefixes cannot grow it
            self._cache[prefix] = entry
        return entry
