"""Plugins known at start: those already stored, the built-in host plugin,
and every `plugins/<id>/plugin.toml`. A `Worker`, so that the plugin
supervisor of a later release takes its place without touching the runtime."""

from __future__ import annotations

from pathlib import Path

from desktop_app.models.health import WorkerHealth
from desktop_app.models.plugins import PluginSource
from desktop_app.services.collectors.system import SYSTEM_PLUGIN_KEY, SYSTEM_PLUGIN_NAME
from desktop_app.services.plugins.manifest import discover
from desktop_app.services.plugins.registry import PluginRegistry


class PluginDiscovery:
    name = "plugins"

    def __init__(self, registry: PluginRegistry, plugins_dir: Path) -> None:
        self._registry = registry
        self._plugins_dir = plugins_dir
        self._started = False

    def start(self) -> None:
        registry = self._registry
        registry.load()
        registry.register(SYSTEM_PLUGIN_KEY, SYSTEM_PLUGIN_NAME, PluginSource.BUILTIN)
        for manifest in discover(self._plugins_dir):
            registry.register(
                manifest.key, manifest.name, PluginSource.DIRECTORY, process=manifest.process
            )
        self._started = True

    def stop(self, deadline: float) -> bool:
        del deadline  # nothing of its own runs
        return True

    def health(self) -> WorkerHealth:
        plugins = self._registry.all()
        return WorkerHealth(
            self.name,
            running=self._started,
            details={
                "registered": len(plugins),
                "enabled": sum(1 for plugin in plugins if plugin.enabled),
            },
        )
