"""Roles, API keys and who is calling (R20, R21)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from fnmatch import fnmatchcase

from desktop_app.models.levels import parse_name

DAY = 86_400.0
MAX_KEY_DAYS = 36_500  # how long a key may be made to last


class Role(IntEnum):
    """Each role can do everything the ones below it can."""

    VIEWER = 1
    OPERATOR = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Role:
        return parse_name(cls, text, "role")


@dataclass(frozen=True, slots=True)
class KeyScope:
    """What a key may do beyond its role: `ingest_only` keys may only push
    metrics and register plugins (and get the ingest rate allowance);
    `plugins` is a glob over the plugin ids it may push to and register
    (empty: any plugin that is not built in); `expires_at` ends it."""

    ingest_only: bool = False
    plugins: str = ""
    expires_at: float | None = None

    @classmethod
    def lasting(
        cls, days: float | None, *, now: float, ingest_only: bool = False, plugins: str = ""
    ) -> KeyScope:
        """A scope that ends `days` days after `now` (never when None or 0)."""
        expires = now + days * DAY if days else None
        return cls(ingest_only=ingest_only, plugins=plugins, expires_at=expires)

    def allows(self, plugin_key: str) -> bool:
        return not self.plugins or fnmatchcase(plugin_key, self.plugins)

    def describe(self) -> str:
        """The scope as `keys list` shows it: "ingest, web*", "all"."""
        parts = (["ingest"] if self.ingest_only else []) + ([self.plugins] if self.plugins else [])
        return ", ".join(parts) or "all"


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A key as stored: never the secret, only its hash."""

    id: int
    name: str
    role: Role
    prefix: str
    created_at: float
    revoked_at: float | None = None
    last_used_at: float | None = None
    last_used_from: str | None = None
    scope: KeyScope = KeyScope()

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def expired(self, now: float) -> bool:
        return self.scope.expires_at is not None and now >= self.scope.expires_at


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request acts as: a key, or an anonymous loopback reader."""

    name: str
    role: Role
    key_id: int | None = None
    scope: KeyScope = KeyScope()
    address: str | None = None  # the client it called from (set per request)

    @property
    def anonymous(self) -> bool:
        return self.key_id is None
