"""Hand edits of `settings.toml` while the monitor runs.

A `Worker` looks at the file once a second (a `stat`, about 5 µs). A changed
file that the monitor did not write itself is parsed and checked as a start
would check it; a valid edit goes through `SettingsService.apply_file`
(applied live where it can be, audited with actor `file`); an invalid one is
logged and reported once with the file, key and reason, and the running
values stay as they are.
"""

from __future__ import annotations

import logging
import time

from desktop_app.config import digest
from desktop_app.errors import SettingsError
from desktop_app.models.health import WorkerHealth
from desktop_app.models.problems import Problem
from desktop_app.services.events import EventBus
from desktop_app.services.settings import SettingsService
from desktop_app.services.workers import Ticking

log = logging.getLogger("plugin_monitor.settings")

CHECK_SECONDS = 1.0


class SettingsWatcher(Ticking):
    name = "settings-file"

    def __init__(
        self,
        service: SettingsService,
        problems: EventBus[Problem],
        *,
        period: float = CHECK_SECONDS,
    ) -> None:
        self._service = service
        self._problems = problems
        super().__init__(period)
        self._seen: tuple[int, int] | None = None
        # The content the running values reflect, and the monitor's last write.
        self._seen_digest: str | None = None
        self._known_write: str | None = None
        self.problem: str | None = None

    def start(self) -> None:
        self._seen = self._stamp()
        self._seen_digest = self._known_write = self._service.file.written_digest
        super().start()

    def health(self) -> WorkerHealth:
        return WorkerHealth(
            self.name,
            running=self.running,
            error=self.problem,
            details={"path": str(self._service.file.path)},
        )

    def tick(self) -> None:
        try:
            self.check()
        except Exception:
            log.exception("could not take up a change of %s", self._service.file.path)

    def _stamp(self) -> tuple[int, int] | None:
        try:
            status = self._service.file.path.stat()
        except OSError:
            return None
        return status.st_mtime_ns, status.st_size

    def check(self) -> None:
        """Take up the file if it changed since the last look."""
        stamp = self._stamp()
        if stamp is None or stamp == self._seen:
            return
        self._seen = stamp
        file = self._service.file
        if file.written_digest != self._known_write:  # the monitor wrote since the last look
            self._known_write = self._seen_digest = file.written_digest
        try:
            text = file.read()
            found = digest(text)
            if found == self._seen_digest:
                self.problem = None  # what the monitor runs (its own write-back, say)
                return
            settings = file.parse(text)
        except SettingsError as error:
            self._report(f"{error}; the running values are kept")
            return
        self._seen_digest = found
        self.problem = None
        self._service.apply_file(settings)

    def _report(self, message: str) -> None:
        if message == self.problem:
            return
        self.problem = message
        log.warning("%s", message)
        self._problems.publish(Problem("settings", message, time.time()))
