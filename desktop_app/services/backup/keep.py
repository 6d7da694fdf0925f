"""Which backups to keep (`backup.keep_hourly`, `keep_daily`, `keep_weekly`):
the newest backup of each of the last N hours, days and ISO weeks that have
one, in UTC. A backup kept by any of the three stays; the newest always does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.config import BackupSettings
from desktop_app.services.backup.archive import backups_in

log = logging.getLogger("plugin_monitor.backup")


def _hour(at: float) -> object:
    return int(at // 3600)


def _day(at: float) -> object:
    return int(at // 86_400)


def _week(at: float) -> object:
    return datetime.fromtimestamp(at, UTC).isocalendar()[:2]


def to_keep(taken: Iterable[float], *, hourly: int, daily: int, weekly: int) -> set[float]:
    """The times (of `taken`) whose backups the policy keeps."""
    newest_first = sorted(taken, reverse=True)
    kept = set(newest_first[:1])
    buckets: tuple[tuple[int, Callable[[float], object]], ...] = (
        (hourly, _hour),
        (daily, _day),
        (weekly, _week),
    )
    for count, bucket in buckets:
        seen: set[object] = set()
        for at in newest_first:
            if len(seen) >= count:
                break
            if bucket(at) not in seen:
                seen.add(bucket(at))
                kept.add(at)
    return kept


def prune(directory: Path, settings: BackupSettings) -> list[Path]:
    """Remove the backups the policy does not keep; the ones removed."""
    backups = backups_in(directory)
    kept = to_keep(
        [backup.taken_at for backup in backups],
        hourly=settings.keep_hourly,
        daily=settings.keep_daily,
        weekly=settings.keep_weekly,
    )
    removed = []
    for backup in backups:
        if backup.taken_at not in kept:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    if removed:
        log.info("removed %d old backup(s) by the keep policy", len(removed))
    return removed
