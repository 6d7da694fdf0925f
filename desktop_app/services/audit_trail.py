"""The audit trail outside the database, and the security events it holds.

Every audit row is copied, in order, to `logs/audit.log` as one JSON line:
a restore of an older database (or a hand edit of it) cannot erase what was
done. The follower reads the rows the database stores, whichever process
stored them (the console, the command line's `keys create`, the API), so
one place also tells the built-in `security` plugin of setting changes, key
changes and plugin installations (R25), which become its event alerts.

The file position is the id of its last line. A database whose newest row is
older than that line was restored or replaced: the follower says so and
carries on from the database's newest row, so new actions are written and
none is written twice.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from desktop_app.models.audit import AuditEntry
from desktop_app.models.health import WorkerHealth
from desktop_app.models.plugins import SECURITY_PLUGIN_KEY
from desktop_app.models.samples import Sample
from desktop_app.services.storage.audit import AuditLog
from desktop_app.services.workers import is_running, join

log = logging.getLogger("plugin_monitor.audit")

POLL_SECONDS = 1.0
TAIL_BYTES = 64 * 1024  # enough to hold the file's last line
# Which audited actions are which security event (the extra the rule reads).
EVENTS = {
    "setting.": "config_changes",
    "threshold.": "config_changes",
    "webhook.": "config_changes",
    "key.": "key_changes",
    "plugin.install": "plugin_installs",
}

Emit = Callable[[list[Sample]], None]


def event_of(action: str) -> str | None:
    return next((extra for start, extra in EVENTS.items() if action.startswith(start)), None)


def last_written_id(path: Path) -> int | None:
    """The id of the file's last line; None when there is no readable one."""
    try:
        with path.open("rb") as file:
            file.seek(max(0, file.seek(0, os.SEEK_END) - TAIL_BYTES))
            lines = file.read().splitlines()
        return int(json.loads(lines[-1])["id"]) if lines else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def append_to_trail(path: Path, entries: list[AuditEntry]) -> None:
    """Entries as JSON lines at the file's end (the follower's, and a
    restore's own row, which the follower of the restored database would
    take for one written before it)."""
    lines = "".join(json.dumps(e.as_record(), ensure_ascii=False) + "\n" for e in entries)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as file:
        file.write(lines)


def revocations(path: Path) -> dict[int, tuple[str, float]]:
    """Every key revocation in the file, by key id: (the key's name, when).
    A restore applies them again, so a key revoked after the backup stays
    revoked (a line that is not whole JSON is passed over)."""
    found: dict[int, tuple[str, float]] = {}
    try:
        with path.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                try:
                    entry = json.loads(line)
                    if entry.get("action") == "key.revoke":
                        key_id = int(str(entry["target"]).removeprefix("key "))
                        found[key_id] = (str(entry["new_value"]), float(entry["at"]))
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue
    except FileNotFoundError:
        pass
    return found


class AuditTrail:
    """A `Worker`: follows the audit table into `logs/audit.log`."""

    name = "audit trail"

    def __init__(self, audit: AuditLog, path: Path, emit: Emit) -> None:
        self._audit = audit
        self.path = path
        self._emit = emit
        self._last_id = 0
        self.error: str | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        written = last_written_id(self.path)
        newest = self._audit.newest_id()
        # A new file takes the whole trail once; earlier actions raise no events.
        self._last_id = self._checked_position(written, newest) if written is not None else 0
        self._copy(announce=False)
        self._thread = threading.Thread(target=self._run, name="audit-trail", daemon=True)
        self._thread.start()

    def stop(self, deadline: float) -> bool:
        self._stopping.set()
        stopped = join(self._thread, deadline)
        self._copy(announce=False)  # the last actions before the stop
        return stopped

    def health(self) -> WorkerHealth:
        return WorkerHealth(
            self.name, is_running(self._thread), self.error, {"path": str(self.path)}
        )

    def sync(self) -> None:
        """Copy what is new now (tests, and before a backup)."""
        self._copy(announce=True)

    def _run(self) -> None:
        while not self._stopping.wait(POLL_SECONDS):
            self._copy(announce=True)

    def _checked_position(self, written: int, newest: int) -> int:
        if newest < written:
            log.warning(
                "the database's audit trail ends at entry %d, before the %d already in %s: "
                "it was restored or replaced; later actions are added after them",
                newest,
                written,
                self.path,
            )
            return newest
        return written

    def _copy(self, *, announce: bool) -> None:
        try:
            newest = self._audit.newest_id()
            if newest < self._last_id:
                self._last_id = self._checked_position(self._last_id, newest)
            entries = self._audit.after(self._last_id)
            while entries:
                self._write(entries)
                if announce:
                    self._announce(entries)
                entries = self._audit.after(self._last_id)
        except Exception as error:  # the disk or the database: said, tried again
            if self.error is None:
                log.exception("could not copy the audit trail to %s", self.path)
            self.error = f"could not copy the audit trail to {self.path}: {error}"
        else:
            self.error = None

    def _write(self, entries: list[AuditEntry]) -> None:
        append_to_trail(self.path, entries)
        self._last_id = entries[-1].id

    def _announce(self, entries: list[AuditEntry]) -> None:
        counts: dict[str, float] = {}
        for entry in entries:
            extra = event_of(entry.action)
            if extra is not None:
                counts[extra] = counts.get(extra, 0.0) + 1.0
        if counts:
            self._emit([Sample(SECURITY_PLUGIN_KEY, time.time(), extras=counts)])
