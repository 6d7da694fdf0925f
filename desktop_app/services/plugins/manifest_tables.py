"""The manifest's `[run]`, `[health]`, `[limits]` and `[settings]` tables.

Each error names the file, the key and the reason ("plugin.toml: run.restart
must be one of never, on-failure, always, not 'sometimes'"), so an operator
fixes it without reading code.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from desktop_app.errors import OperatorError
from desktop_app.models.supervision import (
    HealthCheck,
    LimitAction,
    Limits,
    Restart,
    RunSpec,
    Supervision,
)

T = TypeVar("T")

# The guide's plugin settings (PLUGIN_MAX_WORKERS=4 ...); others are allowed too.
GUIDE_SETTINGS = ("max_workers", "cache_size", "timeout", "batch_size", "connection_pool")


class ManifestError(OperatorError):
    pass


class _Table:
    """One table of a manifest, read key by key; unknown keys are refused."""

    def __init__(self, path: Path, name: str, data: object, keys: frozenset[str]) -> None:
        self.path, self.name = path, name
        if not isinstance(data, dict):
            raise self.error("", "must be a table")
        unknown = set(data) - keys
        if unknown:
            raise self.error("", f"has unknown keys {', '.join(sorted(unknown))}")
        self.data: dict[str, Any] = data

    def error(self, key: str, reason: str) -> ManifestError:
        where = f"{self.name}.{key}" if key else f"[{self.name}]"
        return ManifestError(f"{self.path}: {where} {reason}")

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"must be a number, not {value!r}")
        if not low <= value <= high:
            raise self.error(key, f"must be from {low:g} to {high:g}, not {value:g}")
        return float(value)

    def choice(self, key: str, kind: Callable[[str], T], default: T) -> T:
        value = self.data.get(key, default)
        try:
            return kind(value)
        except ValueError:
            names = ", ".join(str(choice) for choice in kind)  # type: ignore[attr-defined]
            raise self.error(key, f"must be one of {names}, not {value!r}") from None

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, not {value!r}")
        return value

    def command(self, key: str) -> tuple[str, ...] | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = shlex.split(value)
            except ValueError as error:
                raise self.error(key, f"cannot be split into words: {error}") from None
        if not value or not all(isinstance(word, str) and word for word in value):
            raise self.error(key, "must be a command: a list of words, or one line of text")
        return tuple(value)


RUN_KEYS = frozenset(
    {
        "command",
        "cwd",
        "env",
        "autostart",
        "restart",
        "restart_delay_seconds",
        "max_restarts",
        "restart_window_seconds",
        "stop_timeout_seconds",
    }
)


def read_supervision(path: Path, data: dict[str, Any]) -> Supervision | None:
    """The manifest's supervision, or None for a plugin without `[run]`."""
    if "run" not in data:
        for table in ("health", "limits"):
            if table in data:
                raise ManifestError(f"{path}: [{table}] needs a [run] table to apply to")
        return None
    return Supervision(
        run=_run(_Table(path, "run", data["run"], RUN_KEYS)),
        health=_health(path, data.get("health")),
        limits=_limits(path, data.get("limits")),
        settings=_settings(path, data.get("settings", {})),
    )


def _run(table: _Table) -> RunSpec:
    command = table.command("command")
    if command is None:
        raise table.error(
            "command", 'is missing: say how the plugin starts, e.g. ["python3", "main.py"]'
        )
    cwd = table.data.get("cwd", ".")
    if not isinstance(cwd, str) or Path(cwd).is_absolute() or ".." in Path(cwd).parts:
        raise table.error("cwd", f"must be a folder inside the plugin's folder, not {cwd!r}")
    env = table.data.get("env", {})
    if not isinstance(env, dict) or not all(
        isinstance(k, str) and isinstance(v, str | int | float) and not isinstance(v, bool)
        for k, v in env.items()
    ):
        raise table.error("env", 'must be a table of NAME = "value"')
    return RunSpec(
        command=command,
        cwd=cwd,
        env=tuple((k, str(v)) for k, v in env.items()),
        autostart=table.flag("autostart", True),
        restart=table.choice("restart", Restart, Restart.ON_FAILURE),
        restart_delay_seconds=table.number("restart_delay_seconds", 1, 0, 60),
        max_restarts=int(table.number("max_restarts", 5, 0, 1000)),
        restart_window_seconds=table.number("restart_window_seconds", 300, 1, 86400),
        stop_timeout_seconds=table.number("stop_timeout_seconds", 5, 0.1, 300),
    )


def _health(path: Path, data: object) -> HealthCheck | None:
    if data is None:
        return None
    table = _Table(
        path, "health", data, frozenset({"url", "command", "interval_seconds", "timeout_seconds"})
    )
    url, command = table.data.get("url"), table.command("command")
    if (url is None) == (command is None):
        raise table.error("", 'takes one of url = "http://..." or command = [...]')
    if url is not None and (
        not isinstance(url, str) or not url.startswith(("http://", "https://"))
    ):
        raise table.error("url", f"must be an http:// or https:// address, not {url!r}")
    return HealthCheck(
        url=url,
        command=command,
        interval_seconds=table.number("interval_seconds", 10, 1, 3600),
        timeout_seconds=table.number("timeout_seconds", 3, 0.1, 60),
    )


def _limits(path: Path, data: object) -> Limits | None:
    if data is None:
        return None
    table = _Table(path, "limits", data, frozenset({"memory_mb", "cpu_percent", "action"}))
    memory = table.data.get("memory_mb")
    cpu = table.data.get("cpu_percent")
    if memory is None and cpu is None:
        raise table.error("", "needs memory_mb, cpu_percent or both")
    return Limits(
        memory_mb=None if memory is None else table.number("memory_mb", 0, 1, 10**7),
        cpu_percent=None if cpu is None else table.number("cpu_percent", 0, 1, 100_000),
        action=table.choice("action", LimitAction, LimitAction.ALERT),
    )


def _settings(path: Path, data: object) -> tuple[tuple[str, str | int | float | bool], ...]:
    if not isinstance(data, dict):
        raise ManifestError(f"{path}: [settings] must be a table")
    settings: list[tuple[str, str | int | float | bool]] = []
    for name, value in data.items():
        if not name.replace("_", "").isalnum() or not name.isascii():
            raise ManifestError(
                f"{path}: settings.{name} is not a usable name (letters, digits, '_')"
            )
        if not isinstance(value, str | int | float | bool):
            raise ManifestError(f"{path}: settings.{name} must be text, a number or true/false")
        if name in GUIDE_SETTINGS and (
            isinstance(value, bool) or not isinstance(value, int | float) or value <= 0
        ):
            raise ManifestError(f"{path}: settings.{name} must be a positive number, not {value!r}")
        settings.append((name, value))
    return tuple(settings)
