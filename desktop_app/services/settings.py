"""Changing settings while the monitor runs: one path for every face.

`apply(changes, actor)` is what the console's Settings page, the API's
`PUT /api/system/settings`, the command line and a hand edit of
`settings.toml` all go through. It checks every change against the declared
spec first (all or nothing), writes the file, applies what can apply live,
audits each change with its old and new value, and says which changes wait
for a restart. Thresholds keep their own service (`thresholds.py`), which
this one hands `thresholds.*` keys to, so each rule is written once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from desktop_app.config import (
    SPEC,
    SPEC_BY_KEY,
    Settings,
    SettingsFile,
    SettingSpec,
    check_threshold_order,
    flatten,
    from_values,
)
from desktop_app.errors import SettingsError
from desktop_app.models.thresholds import THRESHOLD_NAMES
from desktop_app.services.storage.audit import AuditLog
from desktop_app.services.thresholds import ThresholdChange, ThresholdSettings

log = logging.getLogger("plugin_monitor.settings")

THRESHOLD_PREFIX = "thresholds."
# Read where they are used, so a change applies from the next use on.
READ_ON_USE = frozenset(
    {
        "analytics.timezone",
        "alerts.language",
        "console.tray_level",
        "console.tray_recoveries",
        "console.sound",
    }
)

Applier = Callable[[Settings], None]
Listener = Callable[["SettingsChange"], None]


@dataclass(frozen=True)
class SettingsChange:
    """What one `apply` changed: each key's old and new value, and which of
    them take effect only at the next start."""

    changed: Mapping[str, tuple[Any, Any]]
    restart_required: tuple[str, ...]
    actor: str
    settings: Settings

    def __bool__(self) -> bool:
        return bool(self.changed)


class SettingsService:
    def __init__(
        self,
        settings_file: SettingsFile,
        settings: Settings,
        audit: AuditLog,
        thresholds: ThresholdSettings,
    ) -> None:
        self.file = settings_file
        self._current = settings
        self._audit = audit
        self._thresholds = thresholds
        self._appliers: dict[str, Applier] = {}
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        # The file's values as last read or written: a hand edit changes what
        # differs from these, so a run's command-line overrides (--port) stay
        # until the operator edits that very setting.
        self._in_file = flatten(settings_file.load())

    @property
    def current(self) -> Settings:
        """The running settings, thresholds as the threshold service holds them."""
        return replace(
            self._current,
            thresholds=self._thresholds.global_values,
            plugin_thresholds=self._thresholds.all_overrides(),
        )

    def values(self) -> dict[str, Any]:
        """Every setting by dotted key, as it runs now."""
        return flatten(self.current)

    def saved(self) -> dict[str, Any]:
        """Every setting as settings.toml holds it: what the next start uses
        (this run may differ by its command-line options, such as --port)."""
        return dict(self._in_file)

    def is_live(self, key: str) -> bool:
        return key in self._appliers or key in READ_ON_USE or key.startswith(THRESHOLD_PREFIX)

    def applies_live(self, key: str, applier: Applier) -> None:
        """`applier(new settings)` puts a change of `key` into effect at once."""
        self._appliers[key] = applier

    def subscribe(self, listener: Listener) -> None:
        """Told of every change (the console's tray level, theme, …)."""
        self._listeners.append(listener)

    # -- changes ---------------------------------------------------------------

    def apply(self, changes: Mapping[str, Any], *, actor: str) -> SettingsChange:
        """Check all, then save, apply and audit; nothing changes if one is wrong."""
        checked = {
            key: setting_spec(key).validate(value, "settings") for key, value in changes.items()
        }
        return self._change(checked, {}, actor=actor, persist=True)

    def apply_file(self, settings: Settings) -> SettingsChange:
        """Take up a hand edit of the file (already parsed and checked)."""
        overrides = _override_changes(self._thresholds.all_overrides(), settings.plugin_thresholds)
        edited = {k: v for k, v in flatten(settings).items() if self._in_file.get(k) != v}
        return self._change(edited, overrides, actor="file", persist=False)

    def _change(
        self,
        values: Mapping[str, Any],
        overrides: Mapping[tuple[str, str], tuple[Any, Any]],
        *,
        actor: str,
        persist: bool,
    ) -> SettingsChange:
        with self._lock:
            # A setting that applies at the next start changes against the file;
            # one that applies now, against what runs now.
            saved = {k: v for k, v in self._in_file.items() if not self.is_live(k)}
            before = {**self.values(), **saved}
            changed = {k: (before[k], v) for k, v in values.items() if before[k] != v}
            wanted = {k: new for k, (_old, new) in changed.items()}
            check_threshold_order(from_values({**before, **wanted}).thresholds, "settings")
            others = {k: v for k, v in wanted.items() if not k.startswith(THRESHOLD_PREFIX)}
            threshold_changes = [
                ThresholdChange(key.removeprefix(THRESHOLD_PREFIX), value)
                for key, value in wanted.items()
                if key.startswith(THRESHOLD_PREFIX)
            ] + [
                ThresholdChange(name, new, plugin) for (plugin, name), (_, new) in overrides.items()
            ]
            # Thresholds first: their service checks every change before it writes.
            self._thresholds.update(threshold_changes, actor=actor, persist=persist)
            if others and persist:
                self.file.apply([(tuple(key.split(".")), value) for key, value in others.items()])
            self._current = from_values({**flatten(self._current), **others})
            self._in_file.update(values)
            for (plugin, name), old_and_new in overrides.items():
                changed[f"thresholds.plugins.{plugin}.{name}"] = old_and_new
            result = SettingsChange(
                changed=changed,
                restart_required=tuple(k for k in others if not self.is_live(k)),
                actor=actor,
                settings=self.current,
            )
            self._put_into_effect(others)
        self._record(result, others)
        return result

    def _put_into_effect(self, changed: Mapping[str, Any]) -> None:
        settings = self.current
        for key in changed:
            applier = self._appliers.get(key)
            if applier is not None:
                applier(settings)

    def _record(self, result: SettingsChange, others: Mapping[str, Any]) -> None:
        for key in others:
            old, new = result.changed[key]
            self._audit.record(
                actor=result.actor, action="setting.set", target=key, old_value=old, new_value=new
            )
        if result:
            log.info(
                "settings changed by %s: %s%s",
                result.actor,
                ", ".join(f"{key} = {new!r}" for key, (_old, new) in result.changed.items()),
                f" (from the next start: {', '.join(result.restart_required)})"
                if result.restart_required
                else "",
            )
        for listener in self._listeners:
            try:
                listener(result)
            except Exception:
                log.exception("a settings listener failed")


def setting_spec(key: str) -> SettingSpec:
    """The declaration of a setting, or an error that says how settings are named."""
    spec = SPEC_BY_KEY.get(key)
    if spec is None:
        sections = sorted({s.section for s in SPEC})
        raise SettingsError(
            f"settings: unknown setting {key!r}; settings are named section.key, with "
            f"sections {', '.join(sections)} (see GET /api/system/settings)",
            key=key,
        )
    return spec


def _override_changes(
    old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]
) -> dict[tuple[str, str], tuple[Any, Any]]:
    """Per-plugin threshold changes between two sets of overrides, (old, new)
    by (plugin, threshold); None where there is no override."""
    found: dict[tuple[str, str], tuple[Any, Any]] = {}
    for plugin in sorted({*old, *new}):
        before, after = old.get(plugin, {}), new.get(plugin, {})
        for name in THRESHOLD_NAMES:
            if before.get(name) != after.get(name):
                found[(plugin, name)] = (before.get(name), after.get(name))
    return found
