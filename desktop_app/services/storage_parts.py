"""The monitor's storage, composed: the writer, the stores on it, and what
checks, watches and restores the database beside it.

On PostgreSQL the server and its tools do what concerns a file: no watch for
a replaced file, no quick check, and backups and restores refused with
`backup_advice` (the runtime's backup scheduler is given the same words).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

from desktop_app.config import BackupSettings
from desktop_app.models.problems import Problem
from desktop_app.models.samples import Sample
from desktop_app.paths import DataPaths
from desktop_app.services.backup.archive import Backup
from desktop_app.services.backup.live_restore import LiveRestore
from desktop_app.services.database_check import DatabaseCheck
from desktop_app.services.database_watch import DatabaseWatch
from desktop_app.services.events import EventBus
from desktop_app.services.secrets import SecretStore
from desktop_app.services.storage.audit import AuditLog
from desktop_app.services.storage.database import is_file_database, location, shown_location
from desktop_app.services.storage.postgres import backup_advice
from desktop_app.services.storage.samples import SampleStore
from desktop_app.services.storage.writer import DatabaseWriter
from desktop_app.services.workers import Worker


@dataclass(frozen=True)
class StorageParts:
    check: DatabaseCheck
    writer: DatabaseWriter
    watch: DatabaseWatch
    file_watches: list[Worker]  # started with the monitor: the watch on SQLite, none on PostgreSQL
    samples: SampleStore
    audit: AuditLog
    restores: LiveRestore
    backups_left_to: str | None  # why there are no backups (PostgreSQL), or None


def compose_storage(
    paths: DataPaths,
    database: Engine,
    *,
    batch_limit: int,
    problems: EventBus[Problem],
    newest_backup: Callable[[], Backup | None],
    plugin_id: Callable[[str], int | None],
    committed: Callable[[Sequence[Sample]], None],
    take_up: Callable[[str], None],
    secrets: SecretStore,
    backup_settings: Callable[[], BackupSettings],
) -> StorageParts:
    file = is_file_database(database)
    left_to = None if file else backup_advice(str(location(database)))
    check = DatabaseCheck(shown_location(database), database, problems, newest_backup)
    writer = DatabaseWriter(
        database, plugin_id, batch_limit=batch_limit, on_committed=committed, on_damage=check.found
    )
    watch = DatabaseWatch(paths.database, database, writer, take_up)
    audit = AuditLog(database, writer)
    restores = LiveRestore(
        paths,
        writer=writer,
        audit=audit,
        secrets=secrets,
        settings=backup_settings,
        take_up=take_up,
        copied=watch.rebase,  # the watch is not to take the restore for another's
        left_to_server=left_to,
    )
    return StorageParts(
        check=check,
        writer=writer,
        watch=watch,
        file_watches=[watch] if file else [],
        samples=SampleStore(database),
        audit=audit,
        restores=restores,
        backups_left_to=left_to,
    )
