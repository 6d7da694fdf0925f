"""Roles, API keys and who is calling (R20, R21)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from desktop_app.models.levels import parse_name


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
class ApiKey:
    """A key as stored: never the secret, only its hash."""

    id: int
    name: str
    role: Role
    prefix: str
    created_at: float
    revoked_at: float | None = None
    last_used_at: float | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request acts as: a key, or an anonymous loopback reader."""

    name: str
    role: Role
    key_id: int | None = None

    @property
    def anonymous(self) -> bool:
        return self.key_id is None
