"""A remote monitor's admin parts over its API: settings, threshold changes
and backtests, webhooks and the audit trail, as the Settings and Audit pages
call them on the embedded monitor.

Every change goes through the remote's own checks and audit (as the key's
owner); nothing here decides whether a value is valid.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import asdict
from typing import Any

from desktop_app.config.settings import Settings, from_values
from desktop_app.models.audit import AuditEntry, AuditFilter
from desktop_app.models.levels import AlertLevel
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.models.webhooks import Webhook
from desktop_app.services.analytics.backtest import Backtest, Replay
from desktop_app.services.remote.api import BASE, RemoteApi
from desktop_app.services.remote.convert import seconds
from desktop_app.services.remote.parts import Current, RemoteThresholds, settled, with_values
from desktop_app.services.settings import SettingsChange
from desktop_app.services.thresholds import ThresholdChange
from desktop_app.services.webhooks.channel import ChannelState

log = logging.getLogger("plugin_monitor.remote")

SETTINGS = "/api/system/settings"


class RemoteSettings:
    """The remote's settings by dotted key (an admin key reads them)."""

    def __init__(self, api: RemoteApi, current: Current, changed: Callable[[], None]) -> None:
        self._api, self._current, self._changed = api, current, changed

    @property
    def current(self) -> Settings:
        return from_values(dict(self._current().settings or {}))

    def saved(self) -> dict[str, Any]:
        """As it runs there (its API does not tell the file from this run's options)."""
        return dict(self._current().settings or {})

    def apply(self, changes: Mapping[str, Any], *, actor: str) -> SettingsChange:
        answer = self._api.call("PUT", SETTINGS, dict(changes))
        self._changed()
        return SettingsChange(
            changed={key: (c["old"], c["new"]) for key, c in answer["changed"].items()},
            restart_required=tuple(answer["restart_required"]),
            actor=actor,
            settings=from_values(answer["settings"]),
        )


class RemoteThresholdEditor(RemoteThresholds):
    """The thresholds in force there, and changes to them (admin)."""

    def __init__(self, api: RemoteApi, current: Current, changed: Callable[[], None]) -> None:
        super().__init__(current)
        self._api, self._changed = api, changed

    @property
    def global_values(self) -> ThresholdValues:
        return with_values(ThresholdValues(), self._current().thresholds.get("global", {}))

    def proposed(self, plugin_key: str, changes: Mapping[str, Any]) -> ThresholdValues:
        """The values in the form over the plugin's; the remote checks them
        when it replays or saves them."""
        return with_values(self.effective(plugin_key), changes)

    def update(self, changes: Iterable[ThresholdChange], *, actor: str) -> None:
        body: dict[str, Any] = {}
        for change in changes:
            if change.plugin is None:
                body.setdefault("global", {})[change.name] = change.value
            else:
                body.setdefault("plugins", {}).setdefault(change.plugin, {})[change.name] = (
                    change.value
                )
        if body:
            self._api.call("PUT", f"{BASE}/thresholds", body)
            self._changed()


class RemoteBacktests:
    """Backtests replayed by the remote monitor on its own samples, one
    plugin a request, added up as the local pool adds them."""

    def __init__(self, api: RemoteApi) -> None:
        self._api = api

    def submit(
        self,
        plugins: Sequence[tuple[str, int, ThresholdValues, ThresholdValues]],
        *,
        days: int,
        now: float,
    ) -> Future[Backtest]:
        return settled(lambda: self._replay(plugins, days))

    def _replay(
        self, plugins: Sequence[tuple[str, int, ThresholdValues, ThresholdValues]], days: int
    ) -> Backtest:
        samples, proposed, current = 0, Replay({}), Replay({})
        for key, _plugin_id, values, _now_in_force in plugins:
            body = {"plugin_id": key, "thresholds": asdict(values), "days": days}
            answer = self._api.call("POST", f"{BASE}/thresholds/backtest", body)
            samples += int(answer["samples"])
            proposed = _added(proposed, answer["proposed"]["by_level"])
            current = _added(current, answer["current"]["by_level"])
        return Backtest(days, samples, proposed, current)


def _added(replay: Replay, by_level: Mapping[str, int]) -> Replay:
    total = dict(replay.by_level)
    for level, count in by_level.items():
        total[level] = total.get(level, 0) + int(count)
    return Replay(total)


class RemoteWebhooks:
    def __init__(self, api: RemoteApi) -> None:
        self._api = api

    def current(self) -> list[Webhook]:
        return [_webhook(item) for item in self._api.get("/webhooks")]

    def add(
        self,
        *,
        url: str,
        min_level: AlertLevel,
        headers: Mapping[str, str],
        sign: bool,
        actor: str,
    ) -> tuple[Webhook, str | None]:
        body = {"url": url, "min_level": min_level.label, "headers": dict(headers), "hmac": sign}
        answer = self._api.call("POST", f"{BASE}/webhooks", body)
        return _webhook(answer), answer.get("hmac_secret")

    def remove(self, webhook_id: int, actor: str) -> Webhook:
        return _webhook(self._api.call("DELETE", f"{BASE}/webhooks/{webhook_id}"))

    def send_test(self, webhook_id: int) -> str | None:
        answer = self._api.call("POST", f"{BASE}/webhooks/{webhook_id}/test")
        return None if answer["delivered"] else str(answer["detail"])


def _webhook(data: Mapping[str, Any]) -> Webhook:
    return Webhook(
        id=int(data["id"]),
        shown_url=data["url"],
        min_level=AlertLevel.parse(data["min_level"]),
        header_names=tuple(data["header_names"]),
        signed=bool(data["signed"]),
        created_by=data["created_by"],
        created_at=seconds(data["created_at"]) or 0.0,
    )


class RemoteDeliveries:
    """Deliveries happen on the remote machine, and its API does not report
    them webhook by webhook: none are shown, rather than made up."""

    def states(self) -> list[ChannelState]:
        return []

    def refresh_now(self) -> None:
        """The remote's delivery takes up its webhook list by itself."""


class RemoteAudit:
    def __init__(self, api: RemoteApi) -> None:
        self._api = api

    def page(
        self, filters: AuditFilter, *, limit: int, before_id: int | None = None
    ) -> list[AuditEntry]:
        params: dict[str, Any] = {"limit": min(limit, 1000)}
        params |= {"actor": filters.actor} if filters.actor else {}
        params |= {"action": filters.action} if filters.action else {}
        params |= {"cursor": str(before_id)} if before_id is not None else {}
        return [
            AuditEntry(
                at=seconds(item["at"]) or 0.0,
                actor=item["actor"],
                action=item["action"],
                target=item["target"],
                old_value=item["old_value"],
                new_value=item["new_value"],
                id=int(item["id"]),
            )
            for item in self._api.call("GET", "/api/audit", params=params)["entries"]
        ]
