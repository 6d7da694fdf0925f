"""The guide's daily operations checks (R28), in one place for
`plugin-monitor check`, `GET /api/system/check` and the console's Help menu:
the system's state and each plugin's, open alerts, errors in the logs since
the last check, and the age of the newest backup.

Each item is ok or says what needs attention; the whole report is ok when
every item is. The time of the last check is the modification time of
`run/last-check`, touched by each check.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from desktop_app.models.alerts import Alert
from desktop_app.models.health import TROUBLED_STATES, HealthSnapshot
from desktop_app.models.levels import AlertLevel
from desktop_app.services.backup.archive import Backup

ERROR_WORDS = (" ERROR ", " CRITICAL ")
BACKUP_MAX_AGE_HOURS = 25.0  # with backup.interval_hours = 0: daily from cron, an hour of grace
SHOWN_ERRORS = 3
LOG_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class CheckItem:
    name: str
    ok: bool
    text: str


@dataclass(frozen=True)
class CheckReport:
    items: tuple[CheckItem, ...]
    checked_at: float

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.items)

    def lines(self) -> list[str]:
        return [
            f"{'ok  ' if item.ok else 'NEEDS ATTENTION'} {item.name}: {item.text}"
            for item in self.items
        ]


def run_checks(
    health: HealthSnapshot,
    open_alerts: list[Alert],
    *,
    logs_dir: Path,
    newest_backup: Backup | None,
    backup_hours: float,
    marker: Path,
    backups_left_to: str | None = None,
) -> CheckReport:
    """`backups_left_to`: why the monitor makes no backups (its history is in
    PostgreSQL), said in place of the backup check it cannot make."""
    since = marker.stat().st_mtime if marker.exists() else None
    now = time.time()
    report = CheckReport(
        (
            _system(health),
            _plugins(health),
            _alerts(open_alerts),
            _log_errors(logs_dir / "system.log", since),
            _backups(newest_backup, backup_hours, now)
            if backups_left_to is None
            else CheckItem("backups", True, f"not checked here: {backups_left_to}"),
        ),
        now,
    )
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    return report


def _system(health: HealthSnapshot) -> CheckItem:
    failing = health.worker_problems
    if not failing:
        return CheckItem("system", True, f"every part of the monitor runs ({len(health.workers)})")
    return CheckItem("system", False, "; ".join(failing))


def _plugins(health: HealthSnapshot) -> CheckItem:
    troubled = sorted((key, s) for key, s in health.plugin_states if s in TROUBLED_STATES)
    if troubled:
        shown = ", ".join(f"{key} {state.replace('_', ' ')}" for key, state in troubled)
        return CheckItem("plugins", False, shown)
    counts = health.state_counts().items()
    shown = ", ".join(f"{count} {state.replace('_', ' ')}" for state, count in counts)
    return CheckItem("plugins", True, shown or "none")


def _alerts(open_alerts: list[Alert]) -> CheckItem:
    serious = [a for a in open_alerts if a.level >= AlertLevel.WARNING]
    if not serious:
        return CheckItem(
            "alerts", True, f"no open warning or worse ({len(open_alerts)} open in all)"
        )
    worst = max(serious, key=lambda alert: alert.level)
    return CheckItem(
        "alerts",
        False,
        f"{len(serious)} open at warning or worse; the worst: {worst.plugin_key}/{worst.rule} "
        f"{worst.level.label}: {worst.message}",
    )


def _log_errors(log: Path, since: float | None) -> CheckItem:
    found: list[str] = []
    try:
        with log.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if any(word in line for word in ERROR_WORDS) and _after(line, since):
                    found.append(line.strip())
    except FileNotFoundError:
        return CheckItem("log errors", True, f"{log} does not exist yet")
    window = "since the last check" if since else "in the log"
    if not found:
        return CheckItem("log errors", True, f"none {window}")
    latest = " | ".join(found[-SHOWN_ERRORS:])
    return CheckItem("log errors", False, f"{len(found)} {window}; the latest: {latest}")


def _after(line: str, since: float | None) -> bool:
    if since is None:
        return True
    try:  # "2026-11-27 01:47:38,622 ERROR ...": local time to the millisecond
        logged = time.mktime(time.strptime(line[:19], LOG_TIME_FORMAT)) + int(line[20:23]) / 1000
    except ValueError:
        return False
    return logged > since


def _backups(newest: Backup | None, hours: float, now: float) -> CheckItem:
    """Older than twice the schedule (`backup.interval_hours`), or than a day
    and an hour when backups come only from cron, needs attention."""
    if newest is None:
        return CheckItem("backups", False, "no backup yet: make one with plugin-monitor backup")
    age = (now - newest.taken_at) / 3600
    limit = 2 * hours if hours > 0 else BACKUP_MAX_AGE_HOURS
    if age > limit:
        return CheckItem(
            "backups",
            False,
            f"the newest backup is {age:.0f} hours old (more than {limit:g}): {newest.path}",
        )
    return CheckItem("backups", True, f"the newest backup is {age:.1f} hours old: {newest.path}")
