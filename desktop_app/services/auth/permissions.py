"""Who may push to and register which plugin (R20, R21).

A key's role says what it may do; its scope and a plugin's origin say where.
An operator key registers new plugins and pushes to any plugin its pattern
allows. A plugin that comes from its folder's `plugin.toml`, a package or
the monitor itself (`system`, `security`) is the monitor's: only an admin may
re-register it or push into a built-in one. An API plugin is re-registered
(renamed) only by the key that registered it, or an admin.
"""

from __future__ import annotations

from desktop_app.errors import NotPermittedError
from desktop_app.models.auth import Principal, Role
from desktop_app.models.plugins import PluginInfo, PluginSource

ORIGINS = {
    PluginSource.BUILTIN: "is built into the monitor",
    PluginSource.DIRECTORY: "comes from its folder's plugin.toml",
    PluginSource.PACKAGE: "comes from an installed package",
}


def check_push(who: Principal, plugin_key: str, plugin: PluginInfo | None) -> None:
    """Refuse (403) a push the key may not make."""
    _check_pattern(who, plugin_key, "push to")
    if plugin is not None and plugin.source is PluginSource.BUILTIN and who.role < Role.ADMIN:
        raise NotPermittedError(
            f"plugin {plugin_key} {ORIGINS[plugin.source]}; only an admin key may push into it"
        )


def check_register(who: Principal, plugin_key: str, existing: PluginInfo | None) -> None:
    """Refuse (403) a registration the key may not make."""
    _check_pattern(who, plugin_key, "register")
    if existing is None or who.role >= Role.ADMIN:
        return
    if existing.source is not PluginSource.API:
        raise NotPermittedError(
            f"plugin {plugin_key} {ORIGINS[existing.source]}; only an admin key may re-register it"
        )
    if existing.registered_by is not None and existing.registered_by != who.key_id:
        raise NotPermittedError(
            f"plugin {plugin_key} was registered by another API key; only that key or an "
            "admin may re-register it"
        )


def _check_pattern(who: Principal, plugin_key: str, doing: str) -> None:
    if not who.scope.allows(plugin_key):
        raise NotPermittedError(
            f"the API key {who.name} may only {doing} plugins matching "
            f"{who.scope.plugins!r} (its --plugins pattern)"
        )
