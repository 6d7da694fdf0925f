"""Restoring a backup into the database of a running monitor (R19): from the
console's Backups dialog or `POST /api/system/restore`.

The backup is unpacked and checked beside the live database first, with the
key revocations made since re-applied to it. Then the writer pauses (what is
pushed meanwhile waits in its queue), closes its connection and the pool's,
and two renames swap the files: the present database, with its WAL, becomes
`….before-restore-<UTC time>` (nothing committed is lost, nothing is
copied), and the backup takes its place. A reader still on the old file
finishes on it (SQLite leaves a moved file's WAL alone). The pause lasts
milliseconds, whatever the size: copying 1 GB aside and back through SQLite
took 52 s, during which pushes waited and a client with a 10 s timeout saw
44 % of them time out. The writer resumes on the new file, and the monitor
takes up the restored registry, alerts and keys (`take_up`).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from desktop_app.config import BackupSettings
from desktop_app.errors import LeftToServerError, OperatorError
from desktop_app.paths import DataPaths
from desktop_app.services.backup.archive import backup_directory, taken_at
from desktop_app.services.backup.restore import (
    Restored,
    describe,
    revoke_again,
    set_aside,
    unpack,
)
from desktop_app.services.backup.sealing import Seal, folder_opener
from desktop_app.services.secrets import SecretStore
from desktop_app.services.storage.audit import AuditLog
from desktop_app.services.storage.database import make_private
from desktop_app.services.storage.writer import DatabaseWriter

log = logging.getLogger("plugin_monitor.backup")

# The pause is two renames; the writer answers within this even at full ingest.
PAUSE_SECONDS = 60.0


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
    kept: list[Path | None] = []
    try:
        database = unpack(source, scratch, opener)
        applied = revoke_again(database, paths.logs_dir / "audit.log")

        def replace() -> None:
            kept.append(set_aside(paths.database))
            os.replace(database, paths.database)
            make_private(paths.database)
            copied()

        writer.pause_for(replace).result(PAUSE_SECONDS)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    restored = Restored(source, taken_at(source.name), kept[0], applied)
    take_up(f"restored from {source.name}")
    audit.record(
        actor=actor, action="backup.restore", target=source.name, new_value=describe(restored)
    )
    log.info("%s, by %s", describe(restored), actor)
    return restored


class LiveRestore:
    """Restores into the monitor that composed it, by path or by name."""

    def __init__(
        self,
        paths: DataPaths,
        *,
        writer: DatabaseWriter,
        audit: AuditLog,
        secrets: SecretStore,
        settings: Callable[[], BackupSettings],
        take_up: Callable[[str], None],
        copied: Callable[[], None],
        left_to_server: str | None = None,
    ) -> None:
        """`left_to_server`: why this monitor restores nothing (PostgreSQL)."""
        self._paths, self._writer, self._audit = paths, writer, audit
        self._secrets, self._settings = secrets, settings
        self._take_up, self._copied = take_up, copied
        self.left_to_server = left_to_server

    def restore(self, source: Path, *, actor: str) -> Restored:
        """Any thread but the writer's; it waits for the copy (about 40 s for 1 GB)."""
        self._refuse_on_server()
        return restore_running(
            self._paths,
            source,
            actor=actor,
            writer=self._writer,
            audit=self._audit,
            opener=folder_opener(self._secrets),
            take_up=self._take_up,
            copied=self._copied,
        )

    def restore_named(self, name: str, actor: str) -> str:
        """A backup in the backup folder, by name (the API's restore): what was done."""
        self._refuse_on_server()
        source = backup_named(backup_directory(self._paths, self._settings()), name)
        return describe(self.restore(source, actor=actor))

    def _refuse_on_server(self) -> None:
        if self.left_to_server is not None:
            raise LeftToServerError(self.left_to_server)
