"""Audit entries: who changed what, from which value to which."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: float
    actor: str
    action: str
    target: str
    old_value: str | None
    new_value: str | None
