"""Plugin control (R16) for the API, the command line and the console: one
place that says each plugin's state and carries out start, stop, restart,
enable, disable and stop-all, each recorded in the audit trail."""

from __future__ import annotations

import logging
from pathlib import Path

from desktop_app.errors import PluginStateError, UnknownPluginError
from desktop_app.models.supervision import PluginState, PluginStatus
from desktop_app.services.plugins.discovery import PluginDiscovery
from desktop_app.services.plugins.installer import install_plugin
from desktop_app.services.plugins.registry import PluginRegistry
from desktop_app.services.plugins.supervisor import Supervisor
from desktop_app.services.storage.audit import AuditLog

log = logging.getLogger("plugin_monitor.monitoring.plugins")

ACTION_SECONDS = 30.0  # a stop waits up to the manifest's stop timeout (at most 300 s)


class PluginControl:
    def __init__(
        self,
        registry: PluginRegistry,
        supervisor: Supervisor,
        discovery: PluginDiscovery,
        audit: AuditLog,
        *,
        plugins_dir: Path,
    ) -> None:
        self._plugins_dir = plugins_dir
        self._registry = registry
        self._supervisor = supervisor
        self._discovery = discovery
        self._audit = audit

    def state(self, key: str) -> PluginStatus:
        supervised = self._supervisor.status(key)
        if supervised is not None:
            return supervised
        info = self._registry.get(key)
        if key in self._discovery.invalid:
            return PluginStatus(
                key, PluginState.INVALID_MANIFEST, detail=self._discovery.invalid[key]
            )
        if info is None:
            raise UnknownPluginError(key)
        if key in self._discovery.gone:
            return PluginStatus(key, PluginState.GONE, detail="its plugin folder was removed")
        if not info.enabled:
            return PluginStatus(key, PluginState.DISABLED)
        return PluginStatus(key, PluginState.WATCHED)

    def states(self) -> list[PluginStatus]:
        """Every registered plugin, and every folder whose manifest is invalid."""
        keys = {info.key for info in self._registry.all()} | set(self._discovery.invalid)
        return [self.state(key) for key in sorted(keys)]

    def act(self, action: str, key: str, *, actor: str) -> PluginStatus:
        """Carry out one action; PluginStateError says why it cannot be done."""
        current = self.state(key)
        if current.state is PluginState.INVALID_MANIFEST:
            raise PluginStateError(f"plugin {key} has an invalid manifest: {current.detail}")
        if action in ("enable", "disable"):
            self._registry.set_enabled(key, action == "enable", actor=actor)
        elif self._supervisor.status(key) is None:
            raise PluginStateError(
                f"plugin {key} has no [run] table in its plugin.toml, so Plugin Monitor does not "
                f"start it and cannot {action} it; {action} it where it runs"
            )
        else:
            self._record(action, key, actor)
        if self._supervisor.status(key) is None:
            return self.state(key)
        try:
            return self._supervisor.control(action, key).result(ACTION_SECONDS)
        except UnknownPluginError:  # its folder went while the action waited
            return self.state(key)

    def stop_all(self, *, actor: str) -> list[PluginStatus]:
        stopped = self._supervisor.stop_all().result(ACTION_SECONDS)
        self._record("stop-all", "*", actor, f"{len(stopped)} stopped")
        return stopped

    def install(self, source: Path, *, actor: str) -> PluginStatus:
        """Install a plugin (R25): checked, copied in, audited (the audit trail
        announces it as the security plugin's event), taken up by discovery at once."""
        manifest = install_plugin(source, self._plugins_dir)
        self._record("install", manifest.key, actor, f"{manifest.name} from {source}")
        log.info("plugin %s installed from %s by %s", manifest.key, source, actor)
        self._discovery.scan()
        return self.state(manifest.key)

    def _record(self, action: str, key: str, actor: str, value: str | None = None) -> None:
        self._audit.record(actor=actor, action=f"plugin.{action}", target=key, new_value=value)
