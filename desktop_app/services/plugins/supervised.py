"""One plugin as the supervisor keeps it: its manifest, its child, its
restart budget and counts, and what its state is and why. The supervisor's
thread alone changes it; readers get `status()`, a frozen copy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_app.models.supervision import PluginState, PluginStatus, RestartBudget
from desktop_app.services.plugins.child import PluginChild
from desktop_app.services.plugins.manifest import Manifest


@dataclass
class SupervisedPlugin:
    manifest: Manifest
    budget: RestartBudget
    enabled: bool = True
    child: PluginChild | None = None
    state: PluginState = PluginState.STOPPED
    restarts: int = 0
    exit_code: int | None = None
    restart_at: float | None = None  # monotonic
    exits: int = 0  # unexpected exits since it last ran well
    crash_loop: bool = False
    detail: str = ""
    next_check: float = 0.0
    checking: bool = False

    @property
    def key(self) -> str:
        return self.manifest.key

    def crashed(self, code: int | None, now: float) -> None:
        """An exit nobody asked for (code None: unknown, or it could not
        start): a restart after the policy's delay, or none, or a crash loop."""
        self.exit_code = code
        unexpected = code != 0
        exited = "exit code unknown" if code is None else exit_text(code)
        self.exits += int(unexpected)
        budget = self.budget
        if not budget.wants_restart(1 if code is None else code):
            self.state = PluginState.CRASHED if unexpected else PluginState.STOPPED
            self.detail = self.detail or exited
        elif budget.spend(now):
            delay = budget.delay()
            self.restart_at = now + delay
            self.state = PluginState.CRASHED if unexpected else PluginState.STARTING
            self.detail = f"{self.detail or exited}; restarting in {delay:g} s"
        else:
            self.crash_loop = True
            self.state = PluginState.CRASH_LOOP
            run = budget.spec
            self.detail = (
                f"{exited}; {run.max_restarts} restarts within {run.restart_window_seconds:g} s, "
                "so it is not restarted again until it is started by hand"
            )

    def status(self) -> PluginStatus:
        child = self.child
        supervision = self.manifest.supervision
        return PluginStatus(
            plugin_id=self.key,
            state=self.state if self.enabled else PluginState.DISABLED,
            pid=child.pid if child else None,
            restarts=self.restarts,
            exit_code=self.exit_code,
            started_at=child.started_at if child else None,
            detail=self.detail,
            unexpected_exits=self.exits,
            crash_loop=self.crash_loop,
            limits=supervision.limits if supervision else None,
        )


def start_failure(cwd: Path, error: OSError) -> str:
    if not cwd.is_dir():
        return f"cannot start: its folder {cwd} does not exist"
    return f"cannot start {error.filename or 'its command'}: {error.strerror or error}"


def exit_text(code: int) -> str:
    return f"exited with code {code}" if code >= 0 else f"ended by signal {-code}"
