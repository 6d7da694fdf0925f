"""Audit entries: who changed what, from which value to which."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audited action. `actor` names the key and the address it came
    from for actions through the API ("ops (key 4) from 10.0.0.7")."""

    at: float
    actor: str
    action: str
    target: str
    old_value: str | None
    new_value: str | None
    id: int = 0

    def as_record(self) -> dict[str, object]:
        """The entry as one line of logs/audit.log and one item of GET /api/audit."""
        return {
            "id": self.id,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "old_value": self.old_value,
            "new_value": self.new_value,
        }


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What GET /api/audit narrows by; empty means everything."""

    actor: str | None = None  # any part of it: a name, "key 4", an address
    action: str | None = None  # an action ("key.create") or its family ("key")
    since: float | None = None
    until: float | None = None
