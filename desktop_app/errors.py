"""Errors the operator must fix. Their message is one line that names the
file or setting and the problem; the command line prints it and exits 2."""


class OperatorError(Exception):
    """A fault in the operator's environment or input, never a bug."""


class SettingsError(OperatorError):
    """settings.toml (or a value given at runtime) is not acceptable; `key`
    names the setting at fault where there is one."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class DatabaseError(OperatorError):
    """The database cannot be opened, read or upgraded."""


class LeftToServerError(OperatorError):
    """A backup or restore asked of a monitor whose history is in PostgreSQL,
    which its own tools back up: HTTP 409 in the API."""


class InstanceLockedError(OperatorError):
    """Another Plugin Monitor already runs on the same data folder."""

    def __init__(self, holder: str, folder: str) -> None:
        super().__init__(
            f"another Plugin Monitor (pid {holder}) is already running on the data folder "
            f"{folder}; stop it first or choose another --data-dir"
        )
        self.holder, self.folder = holder, folder


class UnknownPluginError(OperatorError):
    """A sample or request names a plugin that is not registered."""

    def __init__(self, plugin_key: str) -> None:
        super().__init__(f"unknown plugin {plugin_key!r}; register it first")
        self.plugin_key = plugin_key


class PluginStateError(OperatorError):
    """An action the plugin's state does not allow (restart a plugin the
    monitor does not run, start a disabled one): HTTP 409 in the API."""


class NotPermittedError(OperatorError):
    """The key's role or scope does not allow this on this plugin: HTTP 403."""
