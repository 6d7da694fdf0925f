"""Plugins the monitor runs as processes: how each is started and restarted
(its manifest's `[run]`, `[health]`, `[limits]` and `[settings]` tables),
the states operators see, and the restart policy's arithmetic.

Pure data and arithmetic: the supervisor applies it, the API, the command
line and the console show it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

# A `[run]` command word that stands for the monitor's own Python, which has
# `desktop_app.client` (a plugin pushing through it needs nothing installed).
OWN_PYTHON = "{python}"


class Restart(StrEnum):
    NEVER = "never"
    ON_FAILURE = "on-failure"
    ALWAYS = "always"


class LimitAction(StrEnum):
    ALERT = "alert"
    RESTART = "restart"


class PluginState(StrEnum):
    """A plugin's state as the API, the command line and the console spell it."""

    RUNNING = "running"
    STARTING = "starting"
    STOPPED = "stopped"
    CRASHED = "crashed"
    CRASH_LOOP = "crash_loop"
    DISABLED = "disabled"
    WATCHED = "watched"  # no [run]: watched or pushing, not started by the monitor
    INVALID_MANIFEST = "invalid_manifest"
    GONE = "gone"  # its folder was removed while the monitor ran


MAX_RESTART_DELAY = 60.0
# What an operator can do to one plugin (R16); start, stop and restart need [run].
PROCESS_ACTIONS = ("start", "stop", "restart")
CONTROL_ACTIONS = (*PROCESS_ACTIONS, "enable", "disable")


@dataclass(frozen=True)
class RunSpec:
    command: tuple[str, ...]
    cwd: str = "."
    env: tuple[tuple[str, str], ...] = ()
    autostart: bool = True
    restart: Restart = Restart.ON_FAILURE
    restart_delay_seconds: float = 1.0
    max_restarts: int = 5
    restart_window_seconds: float = 300.0
    stop_timeout_seconds: float = 5.0


@dataclass(frozen=True)
class HealthCheck:
    url: str | None = None
    command: tuple[str, ...] | None = None
    interval_seconds: float = 10.0
    timeout_seconds: float = 3.0


@dataclass(frozen=True)
class Limits:
    memory_mb: float | None = None
    cpu_percent: float | None = None  # of one core, as psutil counts it
    action: LimitAction = LimitAction.ALERT


@dataclass(frozen=True)
class Supervision:
    """What a manifest says about running its plugin."""

    run: RunSpec
    health: HealthCheck | None = None
    limits: Limits | None = None
    settings: tuple[tuple[str, str | int | float | bool], ...] = ()

    def environment(self, config_dir: str) -> dict[str, str]:
        """The plugin's own variables: its `env`, its settings as
        PLUGIN_<NAME> (the guide's PLUGIN_MAX_WORKERS=4) and PLUGIN_CONFIG_DIR."""
        env = dict(self.run.env)
        for name, value in self.settings:
            text = str(value).lower() if isinstance(value, bool) else str(value)
            env[f"PLUGIN_{name.upper()}"] = text
        env["PLUGIN_CONFIG_DIR"] = config_dir
        return env


@dataclass(frozen=True)
class PluginStatus:
    """One plugin's supervision as every control action answers it."""

    plugin_id: str
    state: PluginState
    pid: int | None = None
    restarts: int = 0
    exit_code: int | None = None
    started_at: float | None = None  # wall clock, while running
    detail: str = ""  # why: the manifest error, the crash loop, the last exit
    unexpected_exits: int = 0  # since it last ran well
    crash_loop: bool = False
    limits: Limits | None = None

    def uptime(self, now: float) -> float | None:
        return None if self.started_at is None else max(0.0, now - self.started_at)

    def extras(self, now: float) -> dict[str, float]:
        """The figures each of its samples carries (the metric catalogue's
        supervision extras), which the supervision alert rules read."""
        figures = {
            "unexpected_exits": float(self.unexpected_exits),
            "crash_loop": float(self.crash_loop),
            "plugin_restarts": float(self.restarts),
        }
        if (uptime := self.uptime(now)) is not None:
            figures["plugin_uptime"] = uptime
        if self.limits is not None and self.limits.memory_mb is not None:
            figures["memory_limit"] = self.limits.memory_mb * 1024 * 1024
        if self.limits is not None and self.limits.cpu_percent is not None:
            figures["cpu_limit"] = self.limits.cpu_percent
        return figures


@dataclass
class RestartBudget:
    """The restart policy's arithmetic: a delay that doubles per crash up to
    60 s, and a crash loop once more than `max_restarts` fall within the window."""

    spec: RunSpec
    times: deque[float] = field(default_factory=deque)

    def delay(self) -> float:
        """Before the next restart: the base delay doubled per recent restart."""
        doublings = max(0, len(self.times) - 1)
        return min(MAX_RESTART_DELAY, self.spec.restart_delay_seconds * 2.0**doublings)

    def spend(self, now: float) -> bool:
        """Count a restart at `now`; False when it would be one too many (a crash loop)."""
        while self.times and now - self.times[0] > self.spec.restart_window_seconds:
            self.times.popleft()
        if len(self.times) >= self.spec.max_restarts:
            return False
        self.times.append(now)
        return True

    def reset(self) -> None:
        self.times.clear()

    def wants_restart(self, exit_code: int) -> bool:
        policy = self.spec.restart
        return policy is Restart.ALWAYS or (policy is Restart.ON_FAILURE and exit_code != 0)
