"""Restoring a backup into a data folder no monitor runs on (R19).

From one of the archives (`plugin-monitor-….tar.gz`, checked against its
manifest's SHA-256) or from a plain SQLite file such as the guide's
`sqlite3 … ".backup …"` output. The database is unpacked and checked
(`integrity_check`, then upgraded like any database the monitor opens)
beside the live one before anything is replaced; the database it replaces is
kept as `plugin_monitoring.db.before-restore-<UTC time>` (with its WAL, so
nothing committed is lost); the new one takes its place with one rename.
Key revocations in `logs/audit.log` are applied again, so a key revoked
after the backup was taken stays revoked, and the restore is audited.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from desktop_app.errors import InstanceLockedError, LeftToServerError, OperatorError
from desktop_app.paths import DATABASE_NAME, DataPaths
from desktop_app.services.audit_trail import append_to_trail, revocations
from desktop_app.services.backup.archive import CONFIG, MANIFEST, STAMP, sha256_of, taken_at
from desktop_app.services.backup.sealing import Seal, folder_opener, is_sealed, unseal
from desktop_app.services.instance_lock import InstanceLock
from desktop_app.services.opening import backups_left_to_server
from desktop_app.services.secrets import SecretStore
from desktop_app.services.storage.audit import record_beside
from desktop_app.services.storage.database import make_private, open_database, quick_check
from desktop_app.services.storage.keys import KeyNotFoundError, KeyRows
from desktop_app.services.storage.snapshot import row_counts

SQLITE_HEADER = b"SQLite format 3\x00"
REVOKER = "restore (a revocation re-applied from logs/audit.log)"


class MonitorRunningError(OperatorError):
    """A monitor runs on the folder: it restores, not this process."""


@dataclass(frozen=True)
class Restored:
    source: Path
    taken_at: float | None  # None: a plain SQLite file, whose time is unknown
    kept_aside: Path | None  # the database it replaced
    revocations: int  # re-applied
    config_aside: Path | None = None  # the config folder it replaced (--with-config)


def unpack(source: Path, into: Path, opener: Seal | None = None) -> Path:
    """The checked database of `source` (an archive, encrypted or not, or an
    SQLite file), in `into`; `opener` opens an encrypted one."""
    if not source.is_file():
        raise OperatorError(f"{source}: no such backup")
    with source.open("rb") as file:
        plain = file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    database = into / DATABASE_NAME
    if plain:
        shutil.copyfile(source, database)
    elif is_sealed(source):
        opened = into / "opened.tar.gz"
        unseal(source, opened, **(opener or {}))
        _unpack_archive(opened, into, named=source)
        opened.unlink()
    elif tarfile.is_tarfile(source):
        _unpack_archive(source, into, named=source)
    else:
        raise OperatorError(f"{source}: neither a Plugin Monitor backup nor an SQLite database")
    engine = open_database(database)  # the schema brought up to date
    try:
        findings = quick_check(engine)
    finally:
        engine.dispose()
    if findings != ["ok"]:
        raise OperatorError(
            f"{source}: its database fails SQLite's check ({'; '.join(findings[:3])}); "
            "nothing was restored"
        )
    return database


def _unpack_archive(source: Path, into: Path, *, named: Path) -> None:
    try:
        with tarfile.open(source) as tar:
            tar.extractall(into, members=_wanted(tar), filter="data")
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
        expected = str(manifest["database_sha256"])
    except (OSError, tarfile.TarError, ValueError, KeyError) as error:
        raise OperatorError(f"{named}: not a whole backup archive ({error})") from None
    if sha256_of(into / DATABASE_NAME) != expected:
        raise OperatorError(
            f"{named}: its database does not match the checksum in its manifest (damaged or "
            "altered); nothing was restored"
        )


def _wanted(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The manifest, the database and the config folder; nothing else."""
    return [
        member
        for member in tar.getmembers()
        if member.name in (MANIFEST, DATABASE_NAME, CONFIG) or member.name.startswith(f"{CONFIG}/")
    ]


def restore(
    paths: DataPaths,
    source: Path,
    *,
    actor: str,
    opener: Seal | None = None,
    with_config: bool = False,
) -> Restored:
    """Replace the folder's database with the one in `source` (and its config
    folder, `with_config`); an encrypted one is opened with `opener`, else
    with the folder's own key or passphrase."""
    if advice := backups_left_to_server(paths):
        raise LeftToServerError(advice)
    paths.prepare()  # the folder may be all that is left
    lock = InstanceLock(paths.lock_file)
    try:
        lock.acquire()
    except InstanceLockedError as error:
        raise MonitorRunningError(
            f"a monitor (pid {error.holder}) runs on {error.folder}; restore through it "
            "(`plugin-monitor restore NAME` does) or stop it first"
        ) from None
    try:
        scratch = Path(tempfile.mkdtemp(prefix=".restore-", dir=paths.root))
        try:
            database = unpack(source, scratch, opener or folder_opener(SecretStore(paths.root)))
            if with_config and not (scratch / CONFIG).is_dir():
                raise OperatorError(f"{source}: holds no config folder; nothing was restored")
            applied = revoke_again(database, paths.logs_dir / "audit.log")
            aside = set_aside(paths.database)
            os.replace(database, paths.database)
            make_private(paths.database)
            config_aside = _swap_config(scratch / CONFIG, paths.config_dir) if with_config else None
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        restored = Restored(source, taken_at(source.name), aside, applied, config_aside)
        engine = open_database(paths.database)
        try:
            entry = record_beside(
                engine,
                actor=actor,
                action="backup.restore",
                target=source.name,
                new_value=describe(restored),
            )
        finally:
            engine.dispose()
        append_to_trail(paths.logs_dir / "audit.log", [entry])
        return restored
    finally:
        lock.release()


def describe(restored: Restored) -> str:
    when = (
        "a plain SQLite file"
        if restored.taken_at is None
        else f"taken {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(restored.taken_at))}"
    )
    aside = (
        f"; the database it replaced is kept as {restored.kept_aside}"
        if restored.kept_aside
        else ""
    )
    again = (
        f"; {restored.revocations} key revocation(s) made after it applied again"
        if restored.revocations
        else ""
    )
    config = (
        f"; its config folder too, the one it replaced kept as {restored.config_aside}"
        if restored.config_aside
        else ""
    )
    return f"restored {restored.source} ({when}){aside}{again}{config}"


def set_aside_name(path: Path) -> Path:
    """Where a restore keeps what it replaced: `….before-restore-<UTC time>`."""
    return path.with_name(f"{path.name}.before-restore-{time.strftime(STAMP, time.gmtime())}")


def _swap_config(restored: Path, config: Path) -> Path:
    """The backup's config folder in place of the folder's, kept aside."""
    aside = set_aside_name(config)
    if config.exists():
        os.replace(config, aside)
    shutil.move(restored, config)
    return aside


def revoke_again(database: Path, audit_log: Path) -> int:
    revoked = revocations(audit_log)
    if not revoked:
        return 0
    engine = open_database(database)
    applied = 0
    try:
        rows = KeyRows(engine)
        for key_id, (name, at) in revoked.items():
            try:
                key = rows.get(key_id)
            except KeyNotFoundError:
                continue  # made after the backup: not in it
            if key.name == name and not key.revoked:
                rows.revoke(key_id, at=at, actor=REVOKER)
                applied += 1
    finally:
        engine.dispose()
    return applied


def set_aside(database: Path) -> Path | None:
    """The live database, with its WAL and index, renamed out of the way."""
    if not database.exists():
        return None
    aside = set_aside_name(database)
    for suffix in ("-wal", "-shm", ""):
        part = database.with_name(database.name + suffix)
        if part.exists():
            os.replace(part, aside.with_name(aside.name + suffix))
    return aside


def verify_restore(source: Path, opener: Seal) -> dict[str, int]:
    """The guide's monthly restore test (R28): `source` restored into a scratch
    data folder and opened there by a monitor; its row counts, which must
    match the manifest's (OperatorError names the first that does not)."""
    from desktop_app.services.runtime import PluginMonitor  # the whole core, only here

    with tempfile.TemporaryDirectory(prefix="plugin-monitor-restore-test-") as scratch:
        folder = Path(scratch) / "data"
        folder.mkdir(mode=0o700)
        unpack(source, folder, opener)
        expected = _manifest_rows(folder)
        monitor = PluginMonitor.open(folder, collectors=[], api={"enabled": False})
        try:
            monitor.start(monitoring=False)
        finally:
            monitor.stop()
        counts = row_counts(folder / DATABASE_NAME)
    for table, count in expected.items():
        if counts.get(table, 0) < count:
            raise OperatorError(
                f"{source}: restored, its {table} table holds {counts.get(table, 0)} rows where "
                f"its manifest says {count}"
            )
    return counts


def _manifest_rows(folder: Path) -> dict[str, int]:
    manifest = folder / MANIFEST
    if not manifest.exists():
        return {}  # a plain SQLite file has none
    rows: dict[str, object] = json.loads(manifest.read_text(encoding="utf-8"))["rows"]
    return {str(table): int(str(count)) for table, count in rows.items()}
