"""Talking to the monitor that runs on this data folder, from the command
line: over loopback, with the folder's local admin credential (security
part 1), so an operator on the machine needs no key. The wire is
`desktop_app.client`'s; this adds the command line's words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app.client.monitor import Monitor, MonitorError
from desktop_app.errors import OperatorError

TIMEOUT_SECONDS = 60.0  # a stop waits up to the plugin's stop timeout


class MonitorClient:
    def __init__(self, data_dir: Path) -> None:
        self._monitor = Monitor(data_dir=data_dir, timeout=TIMEOUT_SECONDS)
        self.url = self._monitor.url
        self._data_dir = data_dir

    def __enter__(self) -> MonitorClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._monitor.close()

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """The answer's JSON; a refusal becomes an OperatorError with its detail."""
        try:
            return self._monitor.call(method, path, body)
        except MonitorError as error:
            if error.status == 0:
                raise OperatorError(
                    f"no monitor answers at {self.url} for the data folder {self._data_dir}; "
                    "start it with `plugin-monitor serve` or the console"
                ) from None
            raise OperatorError(error.detail) from None
