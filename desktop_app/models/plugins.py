"""Registered plugins as the core sees them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PluginSource(StrEnum):
    BUILTIN = "builtin"
    DIRECTORY = "directory"
    API = "api"


@dataclass(frozen=True, slots=True)
class ProcessSpec:
    """How to find a plugin's process: by pid, or by process name."""

    pid: int | None = None
    name: str | None = None


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
