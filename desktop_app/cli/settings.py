"""`plugin-monitor settings get [KEY]` and `settings set KEY VALUE`.

`set` checks the value against the declared spec (and the whole file as a
start would), then:
- with a monitor running on the folder, writes settings.toml, which the
  monitor takes up within a few seconds (applied live where it can be,
  audited with actor `file`);
- with none running, applies it through the same `SettingsService` as the
  console and the API, audited with actor `cli (<user>)`.
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path
from typing import Any

from desktop_app.cli.actor import cli_actor
from desktop_app.config import (
    SettingsFile,
    check_threshold_order,
    flatten,
    from_values,
)
from desktop_app.errors import InstanceLockedError
from desktop_app.paths import DataPaths
from desktop_app.services.instance_lock import InstanceLock
from desktop_app.services.opening import database_target
from desktop_app.services.settings import SettingsService, setting_spec
from desktop_app.services.storage.audit import AuditLog
from desktop_app.services.storage.database import open_database
from desktop_app.services.storage.writer import DatabaseWriter
from desktop_app.services.thresholds import ThresholdSettings
from desktop_app.services.workers import deadline_in


def run_settings(args: argparse.Namespace, data_dir: Path) -> int:
    paths = DataPaths(data_dir)
    paths.prepare()
    settings_file = SettingsFile(paths.settings_file)
    settings_file.ensure_exists()
    if args.settings_command == "get":
        values = flatten(settings_file.load())
        for key in _keys(args.key, values):
            print(f"{key} = {_toml(values[key])}")
        return 0
    return _set(paths, settings_file, args.key, parse_value(args.value))


def _keys(asked: str | None, values: dict[str, Any]) -> list[str]:
    """Every setting, a section's (`thresholds`), or one (`thresholds.cpu_threshold`)."""
    if asked is None:
        return sorted(values)
    section = sorted(key for key in values if key.startswith(f"{asked}."))
    if section:
        return section
    setting_spec(asked)  # an unknown key: refused with the known sections
    return [asked]


def parse_value(text: str) -> Any:
    """A TOML value (10, 2.5, true, "text"); anything else is taken as text."""
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _set(paths: DataPaths, settings_file: SettingsFile, key: str, value: Any) -> int:
    settings = settings_file.load()
    checked = setting_spec(key).validate(value, "settings")
    check_threshold_order(
        from_values({**flatten(settings), key: checked}).thresholds, str(settings_file.path)
    )
    lock = InstanceLock(paths.lock_file)
    try:
        lock.acquire()
    except InstanceLockedError:
        settings_file.apply([(tuple(key.split(".")), checked)])
        print(
            f"{key} = {_toml(checked)} saved to {settings_file.path}; the running monitor "
            "takes it up within a few seconds"
        )
        return 0
    try:
        result = _apply_offline(paths, settings_file, key, checked)
    finally:
        lock.release()
    if not result:
        print(f"{key} is already {_toml(checked)}; nothing changed")
    else:
        print(f"{key} = {_toml(checked)} saved; the monitor uses it from its next start")
    return 0


def _apply_offline(paths: DataPaths, settings_file: SettingsFile, key: str, value: Any) -> bool:
    settings = settings_file.load()
    engine = open_database(database_target(paths, settings), synchronous=settings.synchronous)
    writer = DatabaseWriter(engine, lambda _key: None)
    writer.start()
    try:
        audit = AuditLog(engine, writer)
        thresholds = ThresholdSettings(
            settings_file, audit, settings.thresholds, settings.plugin_thresholds
        )
        service = SettingsService(settings_file, settings, audit, thresholds)
        return bool(service.apply({key: value}, actor=cli_actor()))
    finally:
        writer.stop(deadline_in(10))
        engine.dispose()
