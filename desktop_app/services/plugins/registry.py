"""The plugin registry: every monitored plugin, its state and when it was
last seen. Reads come from memory; changes go through the writer and the
audit trail."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from sqlalchemy import Engine

from desktop_app.errors import OperatorError, UnknownPluginError
from desktop_app.logs import loggable
from desktop_app.models.plugins import PluginInfo, PluginSource, ProcessSpec
from desktop_app.models.samples import Sample, newest_by_plugin
from desktop_app.services.plugins.manifest import check_plugin_key
from desktop_app.services.storage import plugins as plugin_rows
from desktop_app.services.storage.audit import AuditLog
from desktop_app.services.storage.writer import DatabaseWriter

log = logging.getLogger("plugin_monitor.monitoring.plugins")

WRITE_TIMEOUT = 30.0


class PluginRegistry:
    def __init__(self, engine: Engine, writer: DatabaseWriter, audit: AuditLog) -> None:
        self._engine = engine
        self._writer = writer
        self._audit = audit
        self._plugins: dict[str, PluginInfo] = {}
        self._ids: dict[str, int] = {}
        self._lock = threading.Lock()
        self._register_lock = threading.Lock()
        self._listeners: list[Callable[[PluginInfo], None]] = []
        # Watched plugins whose process the last collection did not find.
        self._processes_missing: frozenset[str] = frozenset()

    def load(self) -> None:
        stored = plugin_rows.load_all(self._engine)
        with self._lock:
            self._plugins = {info.key: info for info in stored}
            self._ids = {key: info.id for key, info in self._plugins.items()}

    def on_change(self, listener: Callable[[PluginInfo], None]) -> None:
        self._listeners.append(listener)

    # -- reads (any thread, no database) ------------------------------------

    def ids(self) -> Mapping[str, int]:
        """Every plugin's database id by key (read it, never change it)."""
        return self._ids

    def id_for(self, key: str) -> int | None:
        return self._ids.get(key)

    def get(self, key: str) -> PluginInfo | None:
        return self._plugins.get(key)

    def all(self) -> list[PluginInfo]:
        return sorted(self._plugins.values(), key=lambda p: p.key)

    def is_enabled(self, key: str) -> bool:
        info = self._plugins.get(key)
        return info is not None and info.enabled

    def process_found(self, key: str) -> bool | None:
        """Whether the last collection found the plugin's process; None when
        it watches none (or is not collected)."""
        info = self._plugins.get(key)
        if info is None or info.process is None or not info.enabled:
            return None
        return key not in self._processes_missing

    @property
    def processes_missing(self) -> frozenset[str]:
        """Plugins whose watched process the last collection did not find."""
        return frozenset(k for k in self._processes_missing if self.process_found(k) is False)

    def note_missing_processes(self, keys: frozenset[str]) -> None:
        """From the process collector, after each collection (swapped whole)."""
        self._processes_missing = keys

    # -- changes -------------------------------------------------------------

    def register(
        self,
        key: str,
        name: str,
        source: PluginSource,
        *,
        process: ProcessSpec | None = None,
        actor: str = "system",
        registered_by: int | None = None,
        host: str | None = None,
    ) -> PluginInfo:
        """Register a plugin, or update its name and process; idempotent.
        `registered_by`: the API key that registers it (its owner); `host`:
        the host a forwarding agent sends it from."""
        try:
            check_plugin_key(key)
        except ValueError as error:
            raise OperatorError(str(error)) from None
        existing = self._plugins.get(key)
        if existing is not None:
            if existing.name == name and existing.process == process:
                return existing
            return self._update(existing, replace(existing, name=name, process=process))
        now = time.time()
        new = PluginInfo(
            id=0,
            key=key,
            name=name,
            source=source,
            enabled=True,
            created_at=now,
            process=process,
            registered_by=registered_by,
            host=host,
        )
        # Registrations queue on their own lock: the state lock is never held
        # while waiting for the writer, whose thread takes it to mark samples seen.
        with self._register_lock:
            if key in self._plugins:
                return self._plugins[key]
            plugin_id = self._writer.call(plugin_rows.insert_job(new), WRITE_TIMEOUT)
            info = replace(new, id=plugin_id)
            with self._lock:
                self._plugins[key] = info
                self._ids[key] = plugin_id
        self._audit.record(actor=actor, action="plugin.register", target=key, new_value=name)
        log.info("registered plugin %s (%s) from %s", key, loggable(name), source.value)
        self._notify(info)
        return info

    def rename(self, key: str, name: str, *, actor: str) -> PluginInfo:
        """A registered plugin's new name; nothing else of it changes."""
        info = self._plugins.get(key)
        if info is None:
            raise UnknownPluginError(key)
        if info.name == name:
            return info
        renamed = self._update(info, replace(info, name=name))
        self._audit.record(
            actor=actor, action="plugin.rename", target=key, old_value=info.name, new_value=name
        )
        log.info("renamed plugin %s to %s", key, loggable(name))
        return renamed

    def set_enabled(self, key: str, enabled: bool, *, actor: str = "system") -> PluginInfo:
        info = self._plugins.get(key)
        if info is None:
            raise UnknownPluginError(key)
        if info.enabled == enabled:
            return info
        updated = self._update(info, replace(info, enabled=enabled))
        self._audit.record(
            actor=actor,
            action="plugin.enable" if enabled else "plugin.disable",
            target=key,
            old_value=info.enabled,
            new_value=enabled,
        )
        log.info("%s plugin %s", "enabled" if enabled else "disabled", key)
        return updated

    def mark_seen(self, samples: Sequence[Sample]) -> None:
        """Called after samples commit; the writer already stored last_seen."""
        latest = newest_by_plugin(samples)
        with self._lock:
            for key, ts in latest.items():
                info = self._plugins.get(key)
                if info is not None and (info.last_seen is None or ts > info.last_seen):
                    self._plugins[key] = replace(info, last_seen=ts)

    def _update(self, old: PluginInfo, new: PluginInfo) -> PluginInfo:
        self._writer.call(plugin_rows.update_job(replace(new, id=old.id)), WRITE_TIMEOUT)
        with self._lock:
            current = self._plugins.get(old.key, old)
            new = replace(new, last_seen=current.last_seen)
            self._plugins[old.key] = new
        self._notify(new)
        return new

    def _notify(self, info: PluginInfo) -> None:
        for listener in self._listeners:
            try:
                listener(info)
            except Exception:
                log.exception("plugin listener %r failed", listener)
