"""Registered plugins as the core sees them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# The built-in plugin whose alerts are about the monitor's own security (R25).
SECURITY_PLUGIN_KEY, SECURITY_PLUGIN_NAME = "security", "Security"


class PluginSource(StrEnum):
    BUILTIN = "builtin"
    DIRECTORY = "directory"
    API = "api"
    PACKAGE = "package"  # an installed distribution's plugin_monitor.plugins entry point


@dataclass(frozen=True, slots=True)
class ProcessSpec:
    """How to find a plugin's processes: by pid, by their whole process name,
    or by a glob on their whole command line (`*billing_worker.py*`); never
    by a part of a name, so an unrelated process is never taken for it."""

    pid: int | None = None
    name: str | None = None
    cmdline: str | None = None


@dataclass(frozen=True, slots=True)
class PluginInfo:
    id: int
    key: str
    name: str
    source: PluginSource
    enabled: bool
    created_at: float
    last_seen: float | None = None
    process: ProcessSpec | None = None
    registered_by: int | None = None  # the API key that registered it, if one did
    host: str | None = None  # the host a forwarding agent sends it from; None: not forwarded
