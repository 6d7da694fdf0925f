"""Opening a data folder for a monitor: everything that can fail because of
the operator's environment (the folder, the settings, another monitor's lock,
the database), done before any thread starts, so a failure leaves nothing
running and nothing half-made behind."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from desktop_app.config import Settings, SettingsFile
from desktop_app.errors import DatabaseError, SettingsError
from desktop_app.logs import ensure_logging_conf
from desktop_app.paths import ENV_DATABASE_URL, DataPaths
from desktop_app.services.backup.archive import backup_directory, backups_in
from desktop_app.services.instance_lock import InstanceLock
from desktop_app.services.storage.database import check_database_file, open_database
from desktop_app.services.storage.postgres import backup_advice, hold_monitor_lock


@dataclass(frozen=True)
class OpenFolder:
    paths: DataPaths
    settings_file: SettingsFile
    settings: Settings
    lock: InstanceLock  # held: this monitor owns the folder
    database: Engine


def open_monitor_folder(
    data_dir: Path, *, interval: float | None = None, api: dict[str, Any] | None = None
) -> OpenFolder:
    """Lay out the folder, load its settings (with this run's overrides),
    take its lock and open (creating or upgrading) its database."""
    paths = DataPaths(data_dir)
    # Before any folder is made: a folder holding another program's
    # database is refused as it is found.
    if isinstance(database_target(paths, folder_settings(paths)), Path):
        try:
            check_database_file(paths.database)
        except DatabaseError as error:
            raise DatabaseError(
                f"{error}{_newest_backup_hint(paths, folder_settings(paths))}"
            ) from None
    paths.prepare()
    settings_file = SettingsFile(paths.settings_file)
    settings_file.ensure_exists()
    ensure_logging_conf(paths)
    settings = settings_file.load()
    if api:
        settings = replace(settings, api=replace(settings.api, **api))
    if interval:
        settings = replace(settings, collection_interval=interval)
    lock = InstanceLock(paths.lock_file)
    lock.acquire()
    target = database_target(paths, settings)
    try:
        if isinstance(target, Path):
            _refuse_a_lost_database(paths, settings)
        database = open_database(target, synchronous=settings.synchronous)
        if isinstance(target, str):
            try:
                lock.also_release(hold_monitor_lock(database))
            except BaseException:
                database.dispose()
                raise
    except DatabaseError as error:
        lock.release()
        raise DatabaseError(f"{error}{_newest_backup_hint(paths, settings)}") from None
    except BaseException:
        lock.release()
        raise
    return OpenFolder(paths, settings_file, settings, lock, database)


def database_target(paths: DataPaths, settings: Settings) -> Path | str:
    """Where a monitor of this folder keeps its history: the PostgreSQL URL
    of $PLUGIN_MONITOR_DATABASE_URL (--database-url sets it), else of the
    storage.database_url setting, else the folder's own SQLite file."""
    return os.environ.get(ENV_DATABASE_URL) or settings.database_url or paths.database


def backups_left_to_server(paths: DataPaths) -> str | None:
    """Why a monitor of this folder makes and restores no backups (its history
    is in PostgreSQL, which its own tools back up), or None."""
    target = database_target(paths, folder_settings(paths))
    return backup_advice(target) if isinstance(target, str) else None


def _refuse_a_lost_database(paths: DataPaths, settings: Settings) -> None:
    """No database beside backups of one: it was lost, not never made. An
    empty database started in its place would hide that."""
    if not paths.database.exists() and backups_in(backup_directory(paths, settings.backup)):
        raise DatabaseError(
            f"{paths.database}: missing, though there are backups of it (move them aside to "
            "start with an empty database)"
        )


def folder_settings(paths: DataPaths) -> Settings:
    """The folder's settings, for where its backups are; the defaults when
    it has none (yet) or they cannot be read."""
    try:
        return (
            SettingsFile(paths.settings_file).load() if paths.settings_file.exists() else Settings()
        )
    except SettingsError:
        return Settings()


def _newest_backup_hint(paths: DataPaths, settings: Settings) -> str:
    found = backups_in(backup_directory(paths, settings.backup))
    if not found:
        return ""
    newest = found[-1]
    hours = (time.time() - newest.taken_at) / 3600
    return (
        f"; the newest backup, {hours:.1f} hours old: plugin-monitor restore {newest.name} "
        "(or serve --restore-latest)"
    )
