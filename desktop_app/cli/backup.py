"""`plugin-monitor backup [--list] [--quiet] [--verify-restore]`,
scripts/auto_backup.py and `plugin-monitor restore NAME|PATH`: an online
backup of a data folder, whether or not a monitor runs on it (the copy is
SQLite's own backup, which reads beside the monitor's writer); the guide's
monthly restore test; a restore into a folder no monitor runs on."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from functools import partial
from pathlib import Path

from desktop_app.cli.actor import cli_actor
from desktop_app.cli.offline import open_data_folder
from desktop_app.cli.secret_input import ask_secret
from desktop_app.config import SettingsFile
from desktop_app.errors import LeftToServerError, OperatorError
from desktop_app.paths import DataPaths
from desktop_app.services.backup.archive import (
    Backup,
    backup_directory,
    backups_in,
    record_backup,
    take_backup,
)
from desktop_app.services.backup.keep import prune
from desktop_app.services.backup.restore import (
    MonitorRunningError,
    describe,
    restore,
    verify_restore,
)
from desktop_app.services.backup.sealing import Seal, folder_opener, folder_seal
from desktop_app.services.opening import backups_left_to_server
from desktop_app.services.secrets import SecretName, SecretStore
from desktop_app.services.storage.audit import record_beside


def run_backup(args: argparse.Namespace, data_dir: Path) -> int:
    paths = DataPaths(data_dir)
    if advice := backups_left_to_server(paths):
        raise LeftToServerError(advice)
    settings = SettingsFile(paths.settings_file).load().backup
    directory = backup_directory(paths, settings)
    store = SecretStore(paths.root)
    if args.action == "export-key":
        return _export_key(store)
    if args.action == "set-passphrase":
        store.set(SecretName.BACKUP_PASSPHRASE, ask_secret("Passphrase for the backups"))
        print(f"backups are sealed with this passphrase from now on (kept in {store.location})")
        return 0
    if args.list:
        _list(backups_in(directory), directory)
        return 0
    if args.verify_restore:
        return _verify_newest(directory, folder_opener(store))
    try:
        seal_with = folder_seal(store) if settings.encrypt else None
        backup = take_backup(paths, directory, seal_with=seal_with)
    except OSError as error:  # the disk filled or went away while writing
        raise OperatorError(f"{directory}: the backup failed: {error.strerror or error}") from None
    _settings, engine = open_data_folder(data_dir)
    try:
        record_backup(partial(record_beside, engine), cli_actor(), backup)
    finally:
        engine.dispose()
    pruned = prune(directory, settings)
    if not args.quiet:
        removed = f"; removed {len(pruned)} old backup(s) by the keep policy" if pruned else ""
        print(f"backed up to {backup.path} ({_mib(backup.size)}){removed}")
    return 0


def _list(backups: list[Backup], directory: Path) -> None:
    if not backups:
        print(f"no backups in {directory} yet; make one with: plugin-monitor backup")
        return
    now = time.time()
    print(f"{'taken (UTC)':<20}  {'age':>8}  {'size':>10}  file")
    for backup in reversed(backups):
        taken = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(backup.taken_at))
        hours = (now - backup.taken_at) / 3600
        print(f"{taken:<20}  {hours:>7.1f}h  {_mib(backup.size):>10}  {backup.path}")


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def _export_key(store: SecretStore) -> int:
    key = store.get(SecretName.BACKUP_KEY)
    if not key:
        raise OperatorError(
            "this data folder has no backup key yet; it is made by the first encrypted backup "
            "(backup.encrypt = true)"
        )
    print(key)
    print(
        "plugin-monitor: note: keep this key off this machine (a password manager, a safe): "
        "encrypted backups cannot be restored without it; restore --key-file FILE takes it",
        file=sys.stderr,
    )
    return 0


def _verify_newest(directory: Path, opener: Seal) -> int:
    found = backups_in(directory)
    if not found:
        raise OperatorError(
            f"no backup in {directory} to test; make one with plugin-monitor backup"
        )
    newest = found[-1]
    # The scratch folder's own notice (where its secrets would be kept) says
    # nothing about this folder, and the scratch folder is gone in a moment.
    logging.getLogger("plugin_monitor.secrets").setLevel(logging.ERROR)
    counts = verify_restore(newest.path, opener)
    print(
        f"the newest backup restores and a monitor opens it: {newest.path}; "
        f"{counts.get('samples', 0)} samples, {counts.get('plugins', 0)} plugins, "
        f"{counts.get('alerts', 0)} alerts, as its manifest says"
    )
    return 0


def run_restore(args: argparse.Namespace, data_dir: Path) -> int:
    paths = DataPaths(data_dir)
    if advice := backups_left_to_server(paths):
        raise LeftToServerError(advice)
    given = Path(args.backup).expanduser()
    paths.prepare()  # restoring onto a new machine: the folder is made first
    settings_file = SettingsFile(paths.settings_file)
    settings_file.ensure_exists()
    settings = settings_file.load().backup
    directory = backup_directory(paths, settings)
    source = given if given.exists() else directory / args.backup
    try:
        restored = restore(
            paths,
            source,
            actor=cli_actor(),
            opener=_given_opener(args),
            with_config=args.with_config,
        )
    except MonitorRunningError as running:
        print(_restore_through_monitor(args, data_dir, source, directory, running))
        return 0
    print(describe(restored))
    return 0


def _restore_through_monitor(
    args: argparse.Namespace,
    data_dir: Path,
    source: Path,
    directory: Path,
    running: MonitorRunningError,
) -> str:
    """The running monitor restores (its writer pauses, it takes up the
    restored data); it reads backups from its backup folder only, with its
    own key."""
    from desktop_app.cli.monitor_client import MonitorClient  # httpx: only here

    if args.with_config or args.key_file or args.passphrase_file:
        raise OperatorError(
            "a monitor runs on this folder: --with-config, --key-file and --passphrase-file "
            "restore into a stopped one only; stop it, or restore without them"
        )
    if source.resolve().parent != directory.resolve():
        raise OperatorError(
            f"a monitor runs on this folder and restores from its backup folder only: copy "
            f"{source} into {directory}, or stop the monitor first"
        )
    try:
        client = MonitorClient(data_dir)
    except OperatorError as error:
        raise OperatorError(f"{running}; it cannot be asked: {error}") from None
    with client:
        answer = client.call("POST", "/api/system/restore", {"backup": source.name})
    return str(answer["detail"])


def _given_opener(args: argparse.Namespace) -> Seal | None:
    """--key-file or --passphrase-file (the first line of the file), if given."""
    if args.key_file:
        return {"key": _first_line(args.key_file)}
    if args.passphrase_file:
        return {"passphrase": _first_line(args.passphrase_file)}
    return None


def _first_line(path: str) -> str:
    try:
        lines = Path(path).expanduser().read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise OperatorError(f"{path}: cannot be read: {error.strerror}") from None
    if not lines or not lines[0]:
        raise OperatorError(f"{path}: is empty")
    return lines[0]
