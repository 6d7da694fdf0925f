"""One remote monitor's API as the console calls it, and what it last said.

Every refusal becomes an `OperatorError` in the monitor's own words, prefixed
with the monitor it came from, so a page shows it as it shows a local fault.
The plugin list, their states, the open alerts and the thresholds are read
together into one `Snapshot`, swapped whole: the UI thread reads it at every
tick and never waits for the network.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from desktop_app.client.monitor import Monitor, MonitorError
from desktop_app.errors import OperatorError
from desktop_app.models.alerts import Alert
from desktop_app.models.plugins import PluginInfo
from desktop_app.models.supervision import PluginState, PluginStatus
from desktop_app.services.remote.convert import alert_of, plugin_of, status_of

log = logging.getLogger("plugin_monitor.remote")

BASE = "/api/advanced-monitoring"


class RemoteError(OperatorError):
    """A remote monitor refused, or none answered."""


@dataclass(frozen=True)
class Snapshot:
    """What the remote monitor said at one moment, read in one round."""

    plugins: tuple[PluginInfo, ...] = ()
    process_found: dict[str, bool | None] = field(default_factory=dict)
    statuses: dict[str, PluginStatus] = field(default_factory=dict)
    invalid: dict[str, str] = field(default_factory=dict)  # folder: why its manifest is refused
    open_alerts: tuple[Alert, ...] = ()
    thresholds: dict[str, Any] = field(default_factory=dict)  # {"global", "plugins"}
    settings: dict[str, Any] | None = None  # by dotted key; None: the key is not an admin's

    def with_alert(self, alert: Alert) -> Snapshot:
        """The open alerts as a stream event leaves them: the changed alert
        in its new state, gone once resolved."""
        kept = [shown for shown in self.open_alerts if shown.id != alert.id]
        if alert.is_open and not alert.historical:
            kept.append(alert)
        kept.sort(key=lambda shown: shown.id, reverse=True)
        return replace(self, open_alerts=tuple(kept))


class RemoteApi:
    """The monitor at `url`, called with `key`."""

    def __init__(self, url: str, key: str, *, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.client = Monitor(self.url, key, timeout=timeout)
        self._numbers: dict[str, int] = {}  # the console's own id of each plugin key
        self.closed = False

    def call(
        self, method: str, path: str, body: Any = None, *, params: dict[str, Any] | None = None
    ) -> Any:
        try:
            return self.client.call(method, path, body, params=params)
        except MonitorError as error:
            raise RemoteError(_refusal(self.url, error)) from None
        except RuntimeError:  # httpx: a read still under way when the console disconnected
            if not self.closed:
                raise
            raise RemoteError(f"disconnected from the monitor at {self.url}") from None

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", BASE + path, params=params or None)

    def plugin_path(self, route: str, plugin_key: str) -> str:
        return f"{BASE}/{route}/{quote(plugin_key, safe='')}"

    def snapshot(self, *, admin: bool) -> Snapshot:
        """Plugins, their states, open alerts, thresholds and (for an admin's
        key) the settings, in one round."""
        listed = self.get("/plugins")
        states = [status_of(item) for item in self.call("GET", "/api/plugins")]
        invalid = PluginState.INVALID_MANIFEST
        alerts = self._open_alerts()
        return Snapshot(
            plugins=tuple(plugin_of(item, self.number(item["plugin_id"])) for item in listed),
            process_found={item["plugin_id"]: item.get("process_found") for item in listed},
            statuses={s.plugin_id: s for s in states if s.state is not invalid},
            invalid={s.plugin_id: s.detail for s in states if s.state is invalid},
            open_alerts=tuple(alert_of(item) for item in alerts),
            thresholds=self.get("/thresholds"),
            settings=self.call("GET", "/api/system/settings")["settings"] if admin else None,
        )

    def _open_alerts(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        cursor: dict[str, str] = {}
        while True:
            page = self.get("/alerts", limit=1000, **cursor)
            found += page["alerts"]
            if page["next_cursor"] is None:
                return found
            cursor = {"cursor": page["next_cursor"]}

    def number(self, plugin_key: str) -> int:
        """A stable number for a plugin key: the console's charts and caches
        are keyed by one, and the remote's own ids are not sent."""
        return self._numbers.setdefault(plugin_key, len(self._numbers) + 1)

    def key_of(self, number: int) -> str:
        return next(key for key, known in self._numbers.items() if known == number)

    def close(self) -> None:
        self.closed = True
        self.client.close()


def _refusal(url: str, error: MonitorError) -> str:
    if error.status == 0:
        return str(error)
    if error.status == 401:
        return f"the monitor at {url} refused the key ({error}); connect again with another"
    if error.status == 403:
        return f"the monitor at {url} does not allow this to the key's role: {error}"
    return f"the monitor at {url} refused: {error}"
