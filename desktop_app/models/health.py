"""Health as the operator sees it: one snapshot for the API and the status bar."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

REDACTED = "failing (the details are for admins)"
# Plugin states that need the operator (spelled as PluginState spells them).
TROUBLED_STATES = ("crashed", "crash_loop", "invalid_manifest")


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
    database_bytes: int | None  # None: the database server did not answer
    workers: tuple[WorkerHealth, ...]
    # Every plugin's state by id ("" for every id in a redacted snapshot).
    plugin_states: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return all(worker.ok for worker in self.workers) and not self._troubled

    @property
    def _troubled(self) -> list[tuple[str, str]]:
        return [(key, state) for key, state in self.plugin_states if state in TROUBLED_STATES]

    @property
    def worker_problems(self) -> list[str]:
        """One line per background part that is not well."""
        return [f"{w.name}: {w.error or 'not running'}" for w in self.workers if not w.ok]

    @property
    def problems(self) -> list[str]:
        """One line per part or plugin that is not well, in the operator's words."""
        return self.worker_problems + [
            f"plugin {key or '(name for admins)'}: {state.replace('_', ' ')}"
            for key, state in self._troubled
        ]

    def state_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, state in self.plugin_states:
            counts[state] = counts.get(state, 0) + 1
        return dict(sorted(counts.items()))

    def states_by_plugin(self) -> dict[str, str]:
        """State by plugin id; a redacted snapshot gives the count of each state."""
        if any(key for key, _ in self.plugin_states):
            return dict(self.plugin_states)
        return {state: str(count) for state, count in self.state_counts().items()}

    def redacted(self) -> HealthSnapshot:
        """What anyone may see: no paths, no error texts, no plugin names."""
        return replace(
            self,
            database_path="",
            workers=tuple(w.redacted() for w in self.workers),
            plugin_states=tuple(("", state) for _, state in self.plugin_states),
        )

    def worker(self, name: str) -> WorkerHealth | None:
        return next((w for w in self.workers if w.name == name), None)
