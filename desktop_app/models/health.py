"""Health as the operator sees it: one snapshot for the API and the status bar."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

REDACTED = "failing (the details are for admins)"


@dataclass(frozen=True)
class WorkerHealth:
    """What one background part says of itself: is it running, what last
    failed (None once it works again), and a few figures worth showing."""

    name: str
    running: bool
    error: str | None = None
    details: Mapping[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.running and self.error is None

    def redacted(self) -> WorkerHealth:
        """Figures only: no error text, path or name that could tell a stranger
        where the data lives or what SQL failed."""
        figures = {
            name: value
            for name, value in self.details.items()
            if isinstance(value, bool | int | float) or value is None
        }
        return replace(self, error=REDACTED if self.error else None, details=figures)


@dataclass(frozen=True)
class HealthSnapshot:
    started_at: float | None
    monitoring: bool
    plugins: int
    open_alerts: int
    database_path: str
    database_bytes: int
    workers: tuple[WorkerHealth, ...]

    @property
    def ok(self) -> bool:
        return all(worker.ok for worker in self.workers)

    @property
    def problems(self) -> list[str]:
        """One line per part that is not well, in the operator's words."""
        return [f"{w.name}: {w.error or 'not running'}" for w in self.workers if not w.ok]

    def redacted(self) -> HealthSnapshot:
        """What anyone may see: no paths, no error texts."""
        return replace(self, database_path="", workers=tuple(w.redacted() for w in self.workers))

    def worker(self, name: str) -> WorkerHealth | None:
        return next((w for w in self.workers if w.name == name), None)
