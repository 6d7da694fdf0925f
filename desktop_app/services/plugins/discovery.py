"""The plugin folders, watched while the monitor runs (R3).

`plugins/<id>/plugin.toml` is looked at every 2 s (one `stat` per folder,
about 30 µs for 50 plugins): a new folder is registered and, when its
manifest has `[run]`, started by the supervisor; a changed manifest is taken
up; a removed folder's plugin is stopped and shown as gone; a bad manifest
is shown as "invalid manifest" with the file, key and reason, and only that
plugin is skipped.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from desktop_app.models.health import WorkerHealth
from desktop_app.models.plugins import SECURITY_PLUGIN_KEY, SECURITY_PLUGIN_NAME, PluginSource
from desktop_app.services.collectors.system import SYSTEM_PLUGIN_KEY, SYSTEM_PLUGIN_NAME
from desktop_app.services.plugins.manifest import MANIFEST_NAME, Manifest, discover
from desktop_app.services.plugins.registry import PluginRegistry
from desktop_app.services.plugins.supervisor import Supervisor
from desktop_app.services.workers import is_running, join

log = logging.getLogger("plugin_monitor.monitoring.plugins")

SCAN_SECONDS = 2.0
Stamp = tuple[tuple[str, int, int], ...]


class PluginDiscovery:
    name = "plugins"

    def __init__(
        self,
        registry: PluginRegistry,
        plugins_dir: Path,
        supervisor: Supervisor,
        *,
        period: float = SCAN_SECONDS,
    ) -> None:
        self._registry = registry
        self._plugins_dir = plugins_dir
        self._supervisor = supervisor
        self._period = period
        self._stamp: Stamp | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._found: dict[str, Manifest] = {}
        self._scan_lock = threading.Lock()
        # Read by any thread; swapped whole.
        self.invalid: dict[str, str] = {}
        self.gone: frozenset[str] = frozenset()

    def start(self) -> None:
        registry = self._registry
        registry.load()
        registry.register(SYSTEM_PLUGIN_KEY, SYSTEM_PLUGIN_NAME, PluginSource.BUILTIN)
        registry.register(SECURITY_PLUGIN_KEY, SECURITY_PLUGIN_NAME, PluginSource.BUILTIN)
        self.scan()
        self._thread = threading.Thread(target=self._loop, name="plugin-discovery", daemon=True)
        self._thread.start()

    def stop(self, deadline: float) -> bool:
        self._stopping.set()
        return join(self._thread, deadline)

    def health(self) -> WorkerHealth:
        plugins = self._registry.all()
        return WorkerHealth(
            self.name,
            running=is_running(self._thread),
            details={
                "registered": len(plugins),
                "enabled": sum(1 for plugin in plugins if plugin.enabled),
                "invalid_manifests": len(self.invalid),
            },
        )

    def _loop(self) -> None:
        while not self._stopping.wait(self._period):
            try:
                self.scan()
            except Exception:
                log.exception("could not look at %s", self._plugins_dir)

    def _stamp_now(self) -> Stamp:
        stamps = []
        for path in self._plugins_dir.glob(f"*/{MANIFEST_NAME}"):
            try:
                status = path.stat()
            except OSError:
                continue
            stamps.append((path.parent.name, status.st_mtime_ns, status.st_size))
        return tuple(sorted(stamps))

    def scan(self) -> None:
        """Take up the folders if any manifest came, went or changed (on the
        discovery thread, or at once after an installation)."""
        with self._scan_lock:
            self._scan()

    def _scan(self) -> None:
        stamp = self._stamp_now()
        if stamp == self._stamp:
            return
        self._stamp = stamp
        found = discover(self._plugins_dir)
        for key, reason in found.invalid.items():
            if self.invalid.get(key) != reason:
                log.warning("skipped plugin: %s", reason)
        self.invalid = found.invalid
        manifests = {manifest.key: manifest for manifest in found.manifests}
        for manifest in manifests.values():
            if self._found.get(manifest.key) != manifest:
                self._registry.register(
                    manifest.key, manifest.name, PluginSource.DIRECTORY, process=manifest.process
                )
        removed = set(self._found) - set(manifests)
        for key in sorted(removed):
            log.info("plugin %s: its folder is gone", key)
        self.gone = (self.gone | removed) - set(manifests)
        self._found = manifests
        self._supervisor.set_manifests(list(manifests.values())).result(timeout=60)
