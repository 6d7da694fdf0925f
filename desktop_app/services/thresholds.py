"""Thresholds changeable at runtime, globally and per plugin (R5).

The guide's Python form works on the running monitor:

    monitor.thresholds.cpu_threshold = 70.0
    monitor.thresholds.plugin("billing").memory_threshold = 90.0

A change is validated, written to settings.toml, audited with its old and new
value, and used from the next sample on. Several changes made together are
all checked first: either all apply or none does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from desktop_app.config import THRESHOLD_SPECS, SettingsFile, check_threshold_order
from desktop_app.errors import SettingsError
from desktop_app.models.thresholds import THRESHOLD_NAMES, ThresholdValues
from desktop_app.services.storage.audit import AuditLog


@dataclass(frozen=True)
class ThresholdChange:
    """Set `name` to `value` globally (plugin None) or for one plugin; a value
    of None removes that plugin's override."""

    name: str
    value: Any
    plugin: str | None = None


def _unknown(name: str) -> str:
    return f"no threshold named {name!r}; known: {', '.join(THRESHOLD_NAMES)}"


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
        raise AttributeError(_unknown(name))

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._own_attributes:
            object.__setattr__(self, name, value)
        elif name in THRESHOLD_NAMES:
            self.set(name, value)
        else:
            raise AttributeError(_unknown(name))

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

    def proposed(self, plugin_key: str, changes: Mapping[str, Any]) -> ThresholdValues:
        """The plugin's values with `changes` on top, checked as a save would
        check them, without saving anything (for backtests)."""
        checked = {}
        for name, value in changes.items():
            spec = THRESHOLD_SPECS.get(name)
            if spec is None:
                raise SettingsError(_unknown(name))
            checked[name] = spec.validate(value, "proposed threshold")
        values = replace(self.effective(plugin_key), **checked)
        check_threshold_order(values, "proposed threshold")
        return values

    def set(
        self, name: str, value: Any, *, plugin: str | None = None, actor: str | None = None
    ) -> None:
        self.update([ThresholdChange(name, value, plugin)], actor=actor)

    def clear(self, name: str, *, plugin: str, actor: str | None = None) -> None:
        """Drop a plugin's override so the global value applies again."""
        self.update([ThresholdChange(name, None, plugin)], actor=actor)

    def update(
        self,
        changes: Iterable[ThresholdChange],
        *,
        actor: str | None = None,
        persist: bool = True,
    ) -> None:
        """Check every change, then write them (unless they came from the file
        itself), use them from the next sample on, and audit each."""
        with self._lock:
            new_global = self._global
            overrides = {key: dict(values) for key, values in self._overrides.items()}
            sets: list[tuple[tuple[str, ...], Any]] = []
            removes: list[tuple[str, ...]] = []
            audit: list[tuple[str, str, Any, Any]] = []
            for change in changes:
                spec = THRESHOLD_SPECS.get(change.name)
                if spec is None:
                    raise SettingsError(_unknown(change.name))
                if change.plugin is None:
                    if change.value is None:
                        raise SettingsError(f"{change.name}: a global threshold cannot be removed")
                    checked = spec.validate(change.value, "threshold")
                    old = getattr(new_global, change.name)
                    new_global = replace(new_global, **{change.name: checked})
                    sets.append((("thresholds", change.name), checked))
                    audit.append(("threshold.set", change.name, old, checked))
                    continue
                mine = overrides.setdefault(change.plugin, {})
                old = mine.get(change.name, getattr(new_global, change.name))
                target = f"{change.plugin}.{change.name}"
                path = ("thresholds", "plugins", change.plugin, change.name)
                if change.value is None:
                    if change.name in mine:
                        del mine[change.name]
                        removes.append(path)
                        audit.append(
                            ("threshold.clear", target, old, getattr(new_global, change.name))
                        )
                else:
                    checked = spec.validate(change.value, f"threshold for plugin {change.plugin}")
                    mine[change.name] = checked
                    sets.append((path, checked))
                    audit.append(("threshold.set", target, old, checked))
            overrides = {key: values for key, values in overrides.items() if values}
            check_threshold_order(new_global, "threshold")
            for key, values in overrides.items():
                check_threshold_order(replace(new_global, **values), f"threshold for plugin {key}")
            if not sets and not removes:
                return
            if persist:
                self._file.apply(sets, removes)
            self._global, self._overrides, self._cache = new_global, overrides, {}
        for action, target, old, new in audit:
            self._audit.record(
                actor=actor or self.default_actor,
                action=action,
                target=target,
                old_value=old,
                new_value=new,
            )


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
        raise AttributeError(_unknown(name))

    def __setattr__(self, name: str, value: Any) -> None:
        owner: ThresholdSettings = object.__getattribute__(self, "_owner")
        owner.set(name, value, plugin=object.__getattribute__(self, "_plugin_key"))
