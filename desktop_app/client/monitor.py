"""`Monitor`: a running Plugin Monitor, from any Python program, over its API.

Imports no Qt and no server code (a test holds it to that), so a plugin can
use it with nothing more than httpx beside it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx

from desktop_app.client.local import api_settings, is_own_api, local_token, own_api_url, verify_for
from desktop_app.client.thresholds import Thresholds
from desktop_app.errors import OperatorError
from desktop_app.models.metrics import COLUMNS as STORED_METRICS
from desktop_app.paths import ENV_TOKEN, resolve_data_dir

PUSH = "/api/advanced-monitoring/update-metrics"
COLUMNS = "/api/advanced-monitoring/update-metrics/columns"
PLUGIN_ACTIONS = ("start", "stop", "restart", "enable", "disable")
# What a push names directly; any other metric is a custom one.
STANDARD = frozenset({metric.wire for metric in STORED_METRICS} | {"failed", "response_times"})


class MonitorError(Exception):
    """The monitor refused (`status`: its HTTP status, `detail`: its words), or
    none answered (`status` 0)."""

    def __init__(self, status: int, detail: str, errors: list[dict[str, str]] | None = None):
        super().__init__(detail if not errors else f"{detail}: {_listed(errors)}")
        self.status, self.detail, self.errors = status, detail, errors or []


def _listed(errors: list[dict[str, str]]) -> str:
    return "; ".join(f"{e.get('field')}: {e.get('problem')}" for e in errors)


class Monitor:
    """A monitor at `url` with API key `key`.

    Without a URL, the monitor of this machine's data folder (`data_dir`, else
    `$PLUGIN_MONITOR_HOME` or the default); without a key, `$PLUGIN_MONITOR_TOKEN`,
    else the folder's local credential when the URL is this machine's monitor.
    """

    def __init__(
        self,
        url: str | None = None,
        key: str | None = None,
        *,
        data_dir: str | os.PathLike[str] | None = None,
        timeout: float = 10.0,
    ) -> None:
        verify: Any = True
        if url is None or key is None:
            url, key, verify = _local(url, key, data_dir)
        self.url = url.rstrip("/")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._http = httpx.Client(
            base_url=self.url, headers=headers, timeout=timeout, verify=verify
        )
        self.thresholds = Thresholds(self)

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def __repr__(self) -> str:
        return f"Monitor({self.url!r})"

    # -- metrics ---------------------------------------------------------------

    def push(self, plugin_id: str, *, timestamp: float | None = None, **metrics: Any) -> None:
        """Store one sample; returns once the monitor has committed it. Names
        outside the guide's metrics go in as custom metrics."""
        body: dict[str, Any] = {"plugin_id": plugin_id, "metrics": split_custom(metrics)}
        if timestamp is not None:
            body["timestamp"] = timestamp
        self.call("POST", PUSH, body)

    def push_columns(self, body: dict[str, Any]) -> int:
        """One plugin's samples as columns (the Pusher's route); the count stored."""
        return int(self.call("POST", COLUMNS, body)["samples"])

    def register(
        self, plugin_id: str, name: str | None = None, *, host: str | None = None
    ) -> dict[str, Any]:
        """Register a plugin (`host`: the host it is sent from, for a forwarder)."""
        body = {
            "plugin_id": plugin_id,
            **({"plugin_name": name} if name else {}),
            **({"host": host} if host else {}),
        }
        return dict(self.call("POST", "/api/advanced-monitoring/register-plugin", body))

    # -- plugins ---------------------------------------------------------------

    def plugins(self) -> list[dict[str, Any]]:
        return list(self.call("GET", "/api/advanced-monitoring/plugins"))

    def control(self, action: str, plugin_id: str) -> dict[str, Any]:
        """start, stop, restart, enable or disable a plugin (admin)."""
        if action not in PLUGIN_ACTIONS:
            raise ValueError(
                f"unknown action {action!r}; choose one of {', '.join(PLUGIN_ACTIONS)}"
            )
        return dict(self.call("POST", f"/api/plugins/{action}/{plugin_id}"))

    # -- alerts and silences ---------------------------------------------------

    def alerts(self, **query: Any) -> list[dict[str, Any]]:
        """Open alerts (filters as the API: plugin, level, status, since, until)."""
        return list(self.call("GET", "/api/advanced-monitoring/alerts", params=query)["alerts"])

    def acknowledge(self, alert_id: int, comment: str | None = None) -> dict[str, Any]:
        return self._act_on_alert(alert_id, "acknowledge", comment)

    def resolve(self, alert_id: int, comment: str | None = None) -> dict[str, Any]:
        return self._act_on_alert(alert_id, "resolve", comment)

    def _act_on_alert(self, alert_id: int, action: str, comment: str | None) -> dict[str, Any]:
        body = {"comment": comment} if comment else {}
        return dict(self.call("POST", f"/api/advanced-monitoring/alerts/{alert_id}/{action}", body))

    def silences(self) -> list[dict[str, Any]]:
        return list(self.call("GET", "/api/advanced-monitoring/silences"))

    def silence(self, **silence: Any) -> dict[str, Any]:
        """A new silence (plugin_id, rule, minutes or until, reason: as the API)."""
        return dict(self.call("POST", "/api/advanced-monitoring/silences", silence))

    def end_silence(self, silence_id: int) -> dict[str, Any]:
        return dict(self.call("DELETE", f"/api/advanced-monitoring/silences/{silence_id}"))

    # -- the wire --------------------------------------------------------------

    def call(
        self, method: str, path: str, body: Any = None, *, params: dict[str, Any] | None = None
    ) -> Any:
        """The answer's JSON; a refusal raises MonitorError with the monitor's words."""
        try:
            answer = self._http.request(method, path, json=body, params=params)
        except httpx.TransportError as error:
            raise MonitorError(
                0, f"no monitor answers at {self.url} ({type(error).__name__}: {error})"
            ) from None
        payload = (
            answer.json()
            if answer.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        if answer.status_code >= 400:
            detail = payload.get("detail") if isinstance(payload, dict) else None
            errors = payload.get("errors") if isinstance(payload, dict) else None
            raise MonitorError(
                answer.status_code, str(detail or f"HTTP {answer.status_code}"), errors
            )
        return payload


def split_custom(metrics: dict[str, Any]) -> dict[str, Any]:
    """The guide's metrics as they are; any other name under `custom`."""
    standard = {name: value for name, value in metrics.items() if name in STANDARD}
    custom = {name: value for name, value in metrics.items() if name not in STANDARD}
    return {**standard, "custom": custom} if custom else standard


def _local(
    url: str | None, key: str | None, data_dir: str | os.PathLike[str] | None
) -> tuple[str, str | None, Any]:
    """The URL, key and certificate check for a monitor given in part."""
    key = key or os.environ.get(ENV_TOKEN)
    folder = Path(resolve_data_dir(data_dir))
    try:
        api = api_settings(folder)
    except OperatorError:
        if url is None:
            raise
        return url, key, True
    if url is None or (key is None and is_own_api(url, api)):
        return url or own_api_url(api), key or local_token(folder), verify_for(api)
    return url, key, True
