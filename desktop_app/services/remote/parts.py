"""The embedded monitor's parts, as a remote monitor's API gives them.

Each class answers the same calls as the local part the console's pages use
(`registry`, `samples`, `engine`, `silences`, `analytics`, `thresholds`,
`plugins`), so a page cannot tell which monitor it shows. Reads of the last
`Snapshot` are instant; anything else is an HTTP call, which the pages make
off the UI thread as they make their database reads.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import quote

from desktop_app.models.alerts import Alert, AlertFilter, TimelineEntry
from desktop_app.models.levels import AlertLevel
from desktop_app.models.plugins import PluginInfo, PluginSource
from desktop_app.models.samples import Sample
from desktop_app.models.silences import Silence
from desktop_app.models.supervision import PluginStatus
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.remote.api import BASE, RemoteApi, Snapshot
from desktop_app.services.remote.convert import (
    alert_of,
    plugin_of,
    silence_of,
    status_of,
    stored_samples,
    timeline_of,
)

T = TypeVar("T")
Current = Callable[[], Snapshot]
MAX_HOURS = 2160  # the metrics route's longest window
FIRST_READS = 30


class RemoteRegistry:
    def __init__(self, api: RemoteApi, current: Current, changed: Callable[[], None]) -> None:
        self._api, self._current, self._changed = api, current, changed

    def all(self) -> list[PluginInfo]:
        return list(self._current().plugins)

    def get(self, key: str) -> PluginInfo | None:
        return next((p for p in self._current().plugins if p.key == key), None)

    def ids(self) -> Mapping[str, int]:
        return {p.key: p.id for p in self._current().plugins}

    def id_for(self, key: str) -> int | None:
        info = self.get(key)
        return None if info is None else info.id

    def process_found(self, key: str) -> bool | None:
        return self._current().process_found.get(key)

    @property
    def processes_missing(self) -> frozenset[str]:
        found = self._current().process_found
        return frozenset(key for key, seen in found.items() if seen is False)

    def register(self, key: str, name: str, source: PluginSource, *, actor: str) -> PluginInfo:
        """Registered on the remote monitor (`source` and `actor` are its to
        set: an API registration by the key's owner)."""
        answer = self._api.call(
            "POST", f"{BASE}/register-plugin", {"plugin_id": key, "plugin_name": name}
        )
        self._changed()
        return plugin_of(answer, self._api.number(key))


class RemoteSamples:
    def __init__(self, api: RemoteApi) -> None:
        self._api = api

    def window(self, plugin_id: int, plugin_key: str, since: float, until: float) -> list[Sample]:
        """The stored samples between `since` and `until` (the metrics route
        counts its window back from now: beyond 24 h it gives bucket averages)."""
        hours = min(MAX_HOURS, max(1, math.ceil((time.time() - since) / 3600)))
        answer = self._api.call(
            "GET", self._api.plugin_path("metrics", plugin_key), params={"hours": hours}
        )
        found = stored_samples(plugin_key, answer["samples"])
        return [sample for sample in found if since <= sample.ts <= until]

    def last_samples(self, plugins: Mapping[str, int]) -> dict[str, Sample]:
        """The newest sample of at most `FIRST_READS` plugins (one request
        each, within the remote's rate warning); the others' cards fill with
        their next sample."""
        last: dict[str, Sample] = {}
        for key, plugin_id in list(plugins.items())[:FIRST_READS]:
            found = self.window(plugin_id, key, time.time() - 3600, math.inf)
            if found:
                last[key] = found[-1]
        return last


def settled(work: Callable[[], T]) -> Future[T]:
    """`work()` done now, as the local engine's future (the caller is already
    off the UI thread and waits on it)."""
    future: Future[T] = Future()
    try:
        future.set_result(work())
    except Exception as error:  # handed to the caller's result(), as locally
        future.set_exception(error)
    return future


class RemoteAlerts:
    """The engine's actions and the alert queries, over the API."""

    def __init__(self, api: RemoteApi, current: Current, changed: Callable[[], None]) -> None:
        self._api, self._current, self._changed = api, current, changed

    def open_alerts(self) -> list[Alert]:
        return list(self._current().open_alerts)

    def page(
        self, filters: AlertFilter, *, limit: int, before_id: int | None = None
    ) -> list[Alert]:
        params: dict[str, Any] = {"limit": min(limit, 1000)}
        if filters.plugin_key is not None:
            params["plugin"] = filters.plugin_key
        if filters.levels:
            params["level"] = ",".join(level.label for level in sorted(filters.levels))
        if filters.statuses:
            params["status"] = ",".join(sorted(status.value for status in filters.statuses))
        for name in ("since", "until"):
            if (moment := getattr(filters, name)) is not None:
                params[name] = str(int(moment))
        if before_id is not None:
            params["cursor"] = str(before_id)
        route = "/alerts" if filters.open_only else "/alerts/history"
        return [alert_of(item) for item in self._api.get(route, **params)["alerts"]]

    def timeline(self, alert_id: int) -> list[TimelineEntry]:
        return [timeline_of(item) for item in self._api.get(f"/alerts/{alert_id}/timeline")]

    def acknowledge(
        self, alert_id: int, *, actor: str, comment: str | None = None
    ) -> Future[Alert]:
        return settled(lambda: self._act(alert_id, "acknowledge", {"comment": comment}))

    def resolve(self, alert_id: int, *, actor: str, comment: str | None = None) -> Future[Alert]:
        return settled(lambda: self._act(alert_id, "resolve", {"comment": comment}))

    def reopen(self, alert_id: int, *, actor: str) -> Future[Alert]:
        return settled(lambda: self._act(alert_id, "reopen", None))

    def _act(self, alert_id: int, action: str, body: dict[str, Any] | None) -> Alert:
        """Recorded on the remote monitor under the key's owner (`actor` is
        the local console's name, which the remote does not take on trust)."""
        sent = {name: value for name, value in (body or {}).items() if value}
        answer = self._api.call("POST", f"{BASE}/alerts/{alert_id}/{action}", sent or None)
        self._changed()
        return alert_of(answer)


class RemoteSilences:
    def __init__(self, api: RemoteApi) -> None:
        self._api = api

    def current(self) -> list[Silence]:
        return [silence_of(item) for item in self._api.get("/silences")]

    def add(
        self,
        *,
        plugin_key: str | None,
        rule: str | None,
        level: AlertLevel | None,
        starts_at: float | None,
        ends_at: float,
        comment: str,
        actor: str,
    ) -> Silence:
        body: dict[str, Any] = {"ends_at": _utc(ends_at), "comment": comment}
        body |= {"plugin_id": plugin_key} if plugin_key else {}
        body |= {"rule": rule} if rule else {}
        body |= {"level": level.label} if level is not None else {}
        body |= {"starts_at": _utc(starts_at)} if starts_at is not None else {}
        return silence_of(self._api.call("POST", f"{BASE}/silences", body))

    def remove(self, silence_id: int, actor: str) -> Silence:
        return silence_of(self._api.call("DELETE", f"{BASE}/silences/{silence_id}"))


def _utc(moment: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(moment)) + "Z"


class RemoteAnalytics:
    def __init__(self, api: RemoteApi) -> None:
        self._api = api

    def analytics(
        self, plugin_id: int, plugin_key: str, *, hours: float, now: float
    ) -> dict[str, object]:
        """The remote's report over the last `hours` (whole hours, at least one)."""
        whole = min(MAX_HOURS, max(1, round(hours)))
        report: dict[str, object] = self._api.call(
            "GET", self._api.plugin_path("analytics", plugin_key), params={"hours": whole}
        )
        return report

    def averages(
        self, plugin_id: int, metric: str, *, hours: float, now: float
    ) -> tuple[list[float], list[float | None]]:
        key = self._api.key_of(plugin_id)
        history: Any = self.analytics(plugin_id, key, hours=hours, now=now)["history"]
        series = history["metrics"].get(metric)
        return (history["timestamps"], series["average"]) if series else ([], [])


class RemoteThresholds:
    def __init__(self, current: Current) -> None:
        self._current = current

    def effective(self, plugin_key: str) -> ThresholdValues:
        thresholds = self._current().thresholds
        own = thresholds.get("plugins", {}).get(plugin_key, {})
        return with_values(ThresholdValues(), {**thresholds.get("global", {}), **own})


def with_values(base: ThresholdValues, values: Mapping[str, Any]) -> ThresholdValues:
    """`base` with the named values this console knows (a newer monitor may
    send names it does not)."""
    return replace(base, **{n: v for n, v in values.items() if hasattr(ThresholdValues, n)})


class RemoteControl:
    """Plugin control (R16) and the supervisor's states, over the API."""

    def __init__(self, api: RemoteApi, current: Current, changed: Callable[[], None]) -> None:
        self._api, self._current, self._changed = api, current, changed

    def statuses(self) -> Mapping[str, PluginStatus]:
        return self._current().statuses

    @property
    def invalid(self) -> Mapping[str, str]:
        return self._current().invalid

    def act(self, action: str, key: str, *, actor: str) -> PluginStatus:
        answer = self._api.call("POST", f"/api/plugins/{action}/{quote(key, safe='')}")
        self._changed()
        return status_of(answer)

    def stop_all(self, *, actor: str) -> list[PluginStatus]:
        answer = self._api.call("POST", "/api/plugins/stop-all")
        self._changed()
        return [status_of(item) for item in answer["stopped"]]
