"""Restoring a backup into the database of a running monitor (R19): from the
console's Backups dialog or `POST /api/system/restore`.

The backup is unpacked and checked beside the live database first, with the
key revocations made since re-applied to it. Then the writer pauses (what is
pushed meanwhile waits in its queue), the present database is copied aside
whole (`….before-restore-<UTC time>`: nothing committed is lost), and the
backup's content replaces the live file's in one transaction, through
SQLite's backup API: the file stays the same file, so every open reader sees
the new content at its next read. The writer resumes, and the monitor takes
up the restored registry, alerts and keys (`take_up`).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from desktop_app.errors import DatabaseError, OperatorError
from desktop_app.paths import DataPaths
from desktop_app.services.backup.archive import taken_at
from desktop_app.services.backup.restore import (
    Restored,
    describe,
    revoke_again,
    set_aside_name,
    unpack,
)
from desktop_app.services.backup.sealing import Seal
from desktop_app.services.storage.audit import AuditLog
from desktop_app.services.storage.snapshot import copy_database, copy_into_live
from desktop_app.services.storage.writer import DatabaseWriter

log = logging.getLogger("plugin_monitor.backup")

# Copying a 1 GB database aside and back takes about 40 s on this machine.
PAUSE_SECONDS = 600.0


def backup_named(directory: Path, name: str) -> Path:
    """A file directly in the backup folder, by name: an API client names a
    backup, never a path (`../x` and `/etc/x` are refused)."""
    if not name or Path(name).name != name or name.startswith("."):
        raise OperatorError(f"{name!r}: name a backup file in the backup folder, not a path")
    path = directory / name
    if not path.is_file():
        raise OperatorError(
            f"{name}: no such backup in {directory}; `plugin-monitor backup --list` lists them"
        )
    return path


def restore_running(
    paths: DataPaths,
    source: Path,
    *,
    actor: str,
    writer: DatabaseWriter,
    audit: AuditLog,
    opener: Seal,
    take_up: Callable[[str], None],
    copied: Callable[[], None],
) -> Restored:
    """Replace the running monitor's data with `source`'s; raises
    OperatorError (nothing replaced) when it cannot be read or is unsound.
    `copied()` runs once the content is in place, before the writer resumes;
    `take_up(reason)` after."""
    scratch = Path(tempfile.mkdtemp(prefix=".restore-", dir=paths.root))
    try:
        database = unpack(source, scratch, opener)
        applied = revoke_again(database, paths.logs_dir / "audit.log")
        aside = set_aside_name(paths.database)

        def replace() -> None:
            _keep_aside(paths.database, aside)
            copy_into_live(database, paths.database)
            copied()

        writer.pause_for(replace).result(PAUSE_SECONDS)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    restored = Restored(source, taken_at(source.name), aside, applied)
    take_up(f"restored from {source.name}")
    audit.record(
        actor=actor, action="backup.restore", target=source.name, new_value=describe(restored)
    )
    log.info("%s, by %s", describe(restored), actor)
    return restored


def _keep_aside(live: Path, aside: Path) -> None:
    """A checked copy of the present database; of a damaged one (often why
    it is restored), its files as they are."""
    try:
        copy_database(live, aside)
    except DatabaseError as error:
        log.warning("%s; keeping its files as they are in %s", error, aside)
        aside.unlink(missing_ok=True)
        for suffix in ("", "-wal"):
            part = live.with_name(live.name + suffix)
            if part.exists():
                shutil.copyfile(part, aside.with_name(aside.name + suffix))
