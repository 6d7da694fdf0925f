"""Thresholds changeable at runtime, globally and per plugin (R5).

The guide's Python form works on the running monitor:

    monitor.thresholds.cpu_threshold = 70.0
    monitor.thresholds.plugin("billing").memory_threshold = 90.0

A change is validated, written to settings.toml, audited with its old and new
value, and used from the next sample on.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from desktop_app.config import THRESHOLD_SPECS, SettingsFile, check_threshold_order
from desktop_app.errors import SettingsError
from desktop_app.models.thresholds import THRESHOLD_NAMES, ThresholdValues
from desktop_app.services.audit import AuditLog

AUDIT_TIMEOUT = 30.0


class ThresholdSettings:
    _own_attributes = frozenset(
        {"_file", "_audit", "_global", "_overrides", "_cache", "_lock", "default_actor"}
    )

    def __init__(
        self,
        settings_file: SettingsFile,
        audit: AuditLog,
        global_values: ThresholdValues,
        overrides: dict[str, dict[str, Any]],
    ) -> None:
        self._file = settings_file
        self._audit = audit
        self._global = global_values
        self._overrides = {key: dict(values) for key, values in overrides.items()}
        self._cache: dict[str, ThresholdValues] = {}
        self._lock = threading.Lock()
        self.default_actor = "python"

    def __getattr__(self, name: str) -> Any:
        if name in THRESHOLD_NAMES:
            return getattr(self._global, name)
        raise AttributeError(f"no threshold named {name!r}; known: {', '.join(THRESHOLD_NAMES)}")

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._own_attributes:
            object.__setattr__(self, name, value)
        elif name in THRESHOLD_NAMES:
            self.set(name, value)
        else:
            raise AttributeError(
                f"no threshold named {name!r}; known: {', '.join(THRESHOLD_NAMES)}"
            )

    @property
    def global_values(self) -> ThresholdValues:
        return self._global

    def overrides(self, plugin_key: str) -> dict[str, Any]:
        return dict(self._overrides.get(plugin_key, {}))

    def all_overrides(self) -> dict[str, dict[str, Any]]:
        return {key: dict(values) for key, values in self._overrides.items()}

    def plugin(self, plugin_key: str) -> PluginThresholds:
        return PluginThresholds(self, plugin_key)

    def effective(self, plugin_key: str) -> ThresholdValues:
        """The values that apply to one plugin: its overrides over the globals."""
        cached = self._cache.get(plugin_key)
        if cached is None:
            cached = replace(self._global, **self._overrides.get(plugin_key, {}))
            self._cache[plugin_key] = cached
        return cached

    def set(
        self, name: str, value: Any, *, plugin: str | None = None, actor: str | None = None
    ) -> None:
        spec = THRESHOLD_SPECS.get(name)
        if spec is None:
            raise SettingsError(f"no threshold named {name!r}; known: {', '.join(THRESHOLD_NAMES)}")
        where = f"threshold for plugin {plugin}" if plugin else "threshold"
        checked = spec.validate(value, where)
        with self._lock:
            if plugin is None:
                old = getattr(self._global, name)
                new_global = replace(self._global, **{name: checked})
                check_threshold_order(new_global, where)
                for key in self._overrides:
                    check_threshold_order(replace(new_global, **self._overrides[key]), where)
                self._file.set_value(("thresholds", name), checked)
                self._global = new_global
                target = name
            else:
                old = getattr(self.effective(plugin), name)
                merged = {**self._overrides.get(plugin, {}), name: checked}
                check_threshold_order(replace(self._global, **merged), where)
                self._file.set_value(("thresholds", "plugins", plugin, name), checked)
                self._overrides[plugin] = merged
                target = f"{plugin}.{name}"
            self._cache = {}
        self._audit.record(
            actor=actor or self.default_actor,
            action="threshold.set",
            target=target,
            old_value=old,
            new_value=checked,
        ).result(AUDIT_TIMEOUT)

    def clear(self, name: str, *, plugin: str, actor: str | None = None) -> None:
        """Drop a plugin's override so the global value applies again."""
        with self._lock:
            overrides = self._overrides.get(plugin, {})
            if name not in overrides:
                return
            old = overrides.pop(name)
            if not overrides:
                self._overrides.pop(plugin, None)
            self._file.remove_value(("thresholds", "plugins", plugin, name))
            self._cache = {}
        self._audit.record(
            actor=actor or self.default_actor,
            action="threshold.clear",
            target=f"{plugin}.{name}",
            old_value=old,
            new_value=getattr(self._global, name),
        ).result(AUDIT_TIMEOUT)


class PluginThresholds:
    """`thresholds.plugin("x").cpu_threshold = 70`: one plugin's view."""

    def __init__(self, owner: ThresholdSettings, plugin_key: str) -> None:
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_plugin_key", plugin_key)

    def __getattr__(self, name: str) -> Any:
        owner: ThresholdSettings = object.__getattribute__(self, "_owner")
        key: str = object.__getattribute__(self, "_plugin_key")
        if name in THRESHOLD_NAMES:
            return getattr(owner.effective(key), name)
        raise AttributeError(f"no threshold named {name!r}; known: {', '.join(THRESHOLD_NAMES)}")

    def __setattr__(self, name: str, value: Any) -> None:
        owner: ThresholdSettings = object.__getattribute__(self, "_owner")
        owner.set(name, value, plugin=object.__getattribute__(self, "_plugin_key"))
