"""The data folder (R26) and everything in it.

Location: `--data-dir`, else `PLUGIN_MONITOR_HOME`, else the platform's user
data folder. The first start lays the folder out; a folder that cannot be
written is reported by name instead of failing later mid-write.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desktop_app.errors import OperatorError

log = logging.getLogger("plugin_monitor.storage")

PRIVATE_FILE = 0o600
ENV_HOME = "PLUGIN_MONITOR_HOME"
# A PostgreSQL URL that outranks the storage.database_url setting (a password may be in it).
ENV_DATABASE_URL = "PLUGIN_MONITOR_DATABASE_URL"
ENV_TOKEN = "PLUGIN_MONITOR_TOKEN"  # the API key `alerts --follow` uses by default
DATABASE_NAME = "plugin_monitoring.db"


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    if env := os.environ.get(ENV_HOME):
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir("plugin-monitor", appauthor=False))


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def logging_conf(self) -> Path:
        return self.config_dir / "logging.conf"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def plugin_logs_dir(self) -> Path:
        return self.logs_dir / "plugins"

    @property
    def plugins_dir(self) -> Path:
        return self.root / "plugins"

    @property
    def run_dir(self) -> Path:
        """Pid files of the plugins the monitor started."""
        return self.root / "run"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def lock_file(self) -> Path:
        return self.root / ".plugin-monitor.lock"

    def prepare(self) -> None:
        """Create the folder layout; name the folder that cannot be written."""
        for folder in (
            self.root,
            self.config_dir,
            self.logs_dir,
            self.plugin_logs_dir,
            self.plugins_dir,
            self.run_dir,
            self.backups_dir,
        ):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OperatorError(f"{folder}: cannot create folder: {exc.strerror}") from None
        self._make_private()
        for file in (
            self.settings_file,
            self.logging_conf,
            self.config_dir / "console.ini",
            self.lock_file,
            *self.logs_dir.glob("*.log*"),
        ):
            tighten(file)
        probe = self.root / ".write-probe"
        try:
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise OperatorError(
                f"{self.root}: the data folder cannot be written: {exc.strerror}"
            ) from None

    def _make_private(self) -> None:
        """The data folder is its owner's alone (0700): it holds the history,
        the settings and, later, secrets."""
        mode = stat.S_IMODE(self.root.stat().st_mode)
        if mode & 0o077:
            try:
                self.root.chmod(0o700)
            except OSError as exc:
                raise OperatorError(
                    f"{self.root}: cannot make the data folder private: {exc.strerror}"
                ) from None
            log.info("%s was open to others (mode %o); now owner only", self.root, mode)


def tighten(file: Path) -> None:
    """An existing file looser than owner-only (0600) is made so, and said so;
    they were made so from the start since this version, not before."""
    try:
        mode = stat.S_IMODE(file.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & ~PRIVATE_FILE:
        try:
            file.chmod(PRIVATE_FILE)
        except OSError as exc:
            raise OperatorError(f"{file}: cannot make it private: {exc.strerror}") from None
        log.info("%s was readable by others (mode %o); now owner only", file, mode)


def create_private(file: Path) -> int:
    """Open `file` for reading and writing, created 0600 if it is new."""
    return os.open(file, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
