"""One backup: the database (an online copy), the config folder and a
manifest, in one archive named `plugin-monitor-<UTC time>.tar.gz`.

The archive is built in a `.partial-…` folder beside the backups and renamed
into place only once it is whole and synced, so a backup killed halfway is
never listed as one (the next backup removes what it left). Secrets are never
in it: they live in `secrets/` and the OS keyring, outside the config folder,
and a file in the config folder that looks like a key is left out as well.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import logging
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.config import BackupSettings
from desktop_app.errors import OperatorError
from desktop_app.paths import DATABASE_NAME, DataPaths
from desktop_app.services.backup.sealing import Seal, seal
from desktop_app.services.storage.snapshot import copy_database

log = logging.getLogger("plugin_monitor.backup")

PREFIX = "plugin-monitor-"
SUFFIX = ".tar.gz"
SEALED_SUFFIX = ".tar.gz.enc"  # encrypted (backup.encrypt; see sealing.py)
STAMP = "%Y%m%dT%H%M%SZ"
PARTIAL = ".partial-"
MANIFEST = "manifest.json"
CONFIG = "config"  # the config folder, in an archive
FORMAT = 1
# The copy and the archive sit side by side until the rename; monitoring data
# compresses to well under half, so twice the database is a safe bound.
SPACE_FACTOR = 2.0
SPACE_MARGIN = 16 * 1024 * 1024
# gzip's fastest level: ten times faster than level 9 on a samples database,
# for an archive about a fifth larger, and a backup must not crowd ingestion.
COMPRESSION = 1
LEFT_OUT = ("secrets", "*.key", "*password*")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: float  # from its name, UTC seconds
    size: int

    @property
    def name(self) -> str:
        return self.path.name


def backup_directory(paths: DataPaths, settings: BackupSettings) -> Path:
    """`backup.directory` (another disk, for example), else `backups/`."""
    return Path(settings.directory).expanduser() if settings.directory else paths.backups_dir


def backup_name(at: float, suffix: str = SUFFIX) -> str:
    return f"{PREFIX}{time.strftime(STAMP, time.gmtime(at))}{suffix}"


def _middle(name: str) -> str | None:
    """`20261127T020000Z` or `20261127T020000Z-2` of a backup's name."""
    for suffix in (SEALED_SUFFIX, SUFFIX):
        if name.startswith(PREFIX) and name.endswith(suffix):
            return name[len(PREFIX) : -len(suffix)]
    return None


def taken_at(name: str) -> float | None:
    """The UTC time in a backup's name; None for a name that is not one."""
    middle = _middle(name)
    if middle is None:
        return None
    stamp = middle.split("-", maxsplit=1)[0]
    try:
        return float(calendar.timegm(time.strptime(stamp, STAMP)))
    except ValueError:
        return None


def backups_in(directory: Path) -> list[Backup]:
    """The finished backups in `directory`, oldest first."""
    found = []
    for path in directory.glob(f"{PREFIX}*") if directory.is_dir() else ():
        at = taken_at(path.name)
        if at is not None and path.is_file():
            found.append(Backup(path, at, path.stat().st_size))
    return sorted(found, key=lambda backup: (backup.taken_at, _second_one(backup.name)))


def _second_one(name: str) -> int:
    """1 for `…Z.tar.gz`, 2 for `…Z-2.tar.gz` (a second backup in the same second)."""
    parts = (_middle(name) or "").split("-")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1


def take_backup(
    paths: DataPaths, directory: Path, *, now: float | None = None, seal_with: Seal | None = None
) -> Backup:
    """Back up the data folder's database and config into `directory`,
    encrypted when `seal_with` is given."""
    at = float(int(time.time() if now is None else now))  # whole seconds, as its name says
    _prepare(directory)
    _check_space(paths.database, directory)
    scratch = Path(tempfile.mkdtemp(prefix=f"{PARTIAL}{os.getpid()}-", dir=directory))
    try:
        copy = scratch / DATABASE_NAME
        snapshot = copy_database(paths.database, copy)
        manifest = {
            "format": FORMAT,
            "taken_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at)),
            "schema_version": snapshot.schema_version,
            "rows": snapshot.rows,
            "database_bytes": copy.stat().st_size,
            "database_sha256": sha256_of(copy),
        }
        (scratch / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        built = scratch / "archive"
        with tarfile.open(built, "w:gz", compresslevel=COMPRESSION) as tar:
            tar.add(scratch / MANIFEST, arcname=MANIFEST)
            tar.add(copy, arcname=DATABASE_NAME)
            if paths.config_dir.is_dir():
                tar.add(paths.config_dir, arcname=CONFIG, filter=_without_secrets)
        if seal_with is not None:
            plain, built = built, scratch / "sealed"
            seal(plain, built, **seal_with)
        final = _free_name(directory, at, SUFFIX if seal_with is None else SEALED_SUFFIX)
        built.chmod(0o600)
        _sync(built)
        os.replace(built, final)
        _sync(directory)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    backup = Backup(final, at, final.stat().st_size)
    log.info("backed up to %s (%d bytes)", final, backup.size)
    return backup


def record_backup(record: Callable[..., object], actor: str, backup: Backup) -> None:
    """The audit row of a backup, through `record` (an AuditLog's, or
    `record_beside` bound to an engine for a command beside the monitor)."""
    record(
        actor=actor,
        action="backup.create",
        target=backup.name,
        new_value=f"{backup.path} ({backup.size / 1024 / 1024:.1f} MiB)",
    )


def _prepare(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise OperatorError(
            f"{directory}: cannot create the backup folder: {error.strerror}"
        ) from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OperatorError(f"{directory}: the backup folder is not writable")
    for left in directory.glob(f"{PARTIAL}*"):
        if not _being_made(left):  # a backup killed halfway
            shutil.rmtree(left, ignore_errors=True)


def backup_in_progress(directory: Path) -> bool:
    """Whether a live process (this monitor, `plugin-monitor backup`) is
    making a backup in `directory` now: a second one at once would only
    double the load on the disk and the monitor."""
    return any(_being_made(partial) for partial in directory.glob(f"{PARTIAL}*"))


def _being_made(partial: Path) -> bool:
    """A scratch folder is named after the process making it (`.partial-<pid>-…`)."""
    pid = partial.name.removeprefix(PARTIAL).split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


def _check_space(database: Path, directory: Path) -> None:
    size = sum(
        file.stat().st_size
        for file in (database, database.with_name(database.name + "-wal"))
        if file.exists()
    )
    needed = int(size * SPACE_FACTOR) + SPACE_MARGIN
    free = shutil.disk_usage(directory).free
    if free < needed:
        raise OperatorError(
            f"{directory}: not enough free space for a backup: {_mib(free)} free, about "
            f"{_mib(needed)} needed (twice the database); free some space or set "
            "backup.directory to another disk"
        )


def _mib(count: int) -> str:
    return f"{count / 1024 / 1024:,.0f} MiB"


def _without_secrets(member: tarfile.TarInfo) -> tarfile.TarInfo | None:
    name = Path(member.name).name
    return None if any(Path(name).match(pattern) for pattern in LEFT_OUT) else member


def _free_name(directory: Path, at: float, suffix: str) -> Path:
    """Two backups within one second get `-2`, `-3`…"""
    path, n = directory / backup_name(at, suffix), 1
    while path.exists():
        n += 1
        path = directory / backup_name(at, f"-{n}{suffix}")
    return path


def sha256_of(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as data:
        for chunk in iter(lambda: data.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
