"""Opening the data folder for commands that run beside a monitor (keys,
alerts): no lock, no threads, just settings and the database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from desktop_app.config import Settings, SettingsFile
from desktop_app.paths import DataPaths
from desktop_app.services.opening import database_target
from desktop_app.services.storage.database import check_database_file, open_database


def open_data_folder(data_dir: Path) -> tuple[Settings, Engine]:
    paths = DataPaths(data_dir)
    check_database_file(paths.database)
    paths.prepare()
    settings_file = SettingsFile(paths.settings_file)
    settings_file.ensure_exists()
    settings = settings_file.load()
    target = database_target(paths, settings)
    return settings, open_database(target, synchronous=settings.synchronous)
