"""Opening a data folder for a monitor: everything that can fail because of
the operator's environment (the folder, the settings, another monitor's lock,
the database), done before any thread starts, so a failure leaves nothing
running and nothing half-made behind."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from desktop_app.config import Settings, SettingsFile
from desktop_app.logs import ensure_logging_conf
from desktop_app.paths import DataPaths
from desktop_app.services.instance_lock import InstanceLock
from desktop_app.services.storage.database import check_database_file, open_database


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
    check_database_file(paths.database)
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
    try:
        database = open_database(paths.database, synchronous=settings.synchronous)
    except BaseException:
        lock.release()
        raise
    return OpenFolder(paths, settings_file, settings, lock, database)
