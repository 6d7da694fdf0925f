"""What the console's pages read and change, whichever monitor they show.

The embedded monitor's parts (`services/runtime.py`) and a remote monitor's
(`services/remote/`) both answer these calls, so a page is written once and
shows either. Calls that are not marked as instant may be slow (a database
read, an HTTP request): pages make them off the UI thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Protocol

from desktop_app.models.alerts import Alert, AlertEvent, AlertFilter, TimelineEntry
from desktop_app.models.health import HealthSnapshot
from desktop_app.models.levels import AlertLevel
from desktop_app.models.plugins import PluginInfo, PluginSource
from desktop_app.models.problems import Problem
from desktop_app.models.samples import Sample
from desktop_app.models.silences import Silence
from desktop_app.models.supervision import PluginStatus
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.models.webhooks import Webhook
from desktop_app.services.events import EventBus

if TYPE_CHECKING:
    from desktop_app.config.settings import Settings
    from desktop_app.models.audit import AuditEntry, AuditFilter
    from desktop_app.services.analytics.backtest import Backtest
    from desktop_app.services.operations import CheckReport
    from desktop_app.services.settings import SettingsChange
    from desktop_app.services.thresholds import ThresholdChange
    from desktop_app.services.webhooks.channel import ChannelState


class Plugins(Protocol):
    """The plugin list (instant, except `register`)."""

    def all(self) -> list[PluginInfo]: ...
    def get(self, key: str) -> PluginInfo | None: ...
    def ids(self) -> Mapping[str, int]: ...
    def id_for(self, key: str) -> int | None: ...
    def process_found(self, key: str) -> bool | None: ...
    @property
    def processes_missing(self) -> frozenset[str]: ...
    def register(self, key: str, name: str, source: PluginSource, *, actor: str) -> PluginInfo: ...


class SampleHistory(Protocol):
    def window(
        self, plugin_id: int, plugin_key: str, since: float, until: float
    ) -> list[Sample]: ...
    def last_samples(self, plugins: Mapping[str, int]) -> dict[str, Sample]: ...


class AlertHistory(Protocol):
    def page(
        self, filters: AlertFilter, *, limit: int, before_id: int | None = None
    ) -> list[Alert]: ...
    def timeline(self, alert_id: int) -> list[TimelineEntry]: ...


class AlertChanges(Protocol):
    """The open alerts (instant) and the operator's changes to them."""

    def open_alerts(self) -> list[Alert]: ...
    def acknowledge(
        self, alert_id: int, *, actor: str, comment: str | None = None
    ) -> Future[Alert]: ...
    def resolve(
        self, alert_id: int, *, actor: str, comment: str | None = None
    ) -> Future[Alert]: ...
    def reopen(self, alert_id: int, *, actor: str) -> Future[Alert]: ...


class Silences(Protocol):
    def current(self) -> list[Silence]: ...
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
    ) -> Silence: ...
    def remove(self, silence_id: int, actor: str) -> Silence: ...


class Analytics(Protocol):
    def analytics(
        self, plugin_id: int, plugin_key: str, *, hours: float, now: float
    ) -> dict[str, object]: ...
    def averages(
        self, plugin_id: int, metric: str, *, hours: float, now: float
    ) -> tuple[list[float], list[float | None]]: ...


class Thresholds(Protocol):
    def effective(self, plugin_key: str) -> ThresholdValues: ...


class Control(Protocol):
    """Plugin control (R16): start, stop, restart, enable, disable."""

    def act(self, action: str, key: str, *, actor: str) -> PluginStatus: ...
    def stop_all(self, *, actor: str) -> list[PluginStatus]: ...


class Supervision(Protocol):
    def statuses(self) -> Mapping[str, PluginStatus]: ...


class Discovery(Protocol):
    @property
    def invalid(self) -> Mapping[str, str]: ...


class ShownMonitor(Protocol):
    """A monitor the main window shows: embedded or remote."""

    @property
    def registry(self) -> Plugins: ...
    @property
    def samples(self) -> SampleHistory: ...
    @property
    def engine(self) -> AlertChanges: ...
    @property
    def alerts(self) -> AlertHistory: ...
    @property
    def silences(self) -> Silences: ...
    @property
    def analytics(self) -> Analytics: ...
    @property
    def thresholds(self) -> Thresholds: ...
    @property
    def plugins(self) -> Control: ...
    @property
    def supervisor(self) -> Supervision: ...
    @property
    def discovery(self) -> Discovery: ...
    @property
    def bus(self) -> EventBus[AlertEvent]: ...
    @property
    def samples_bus(self) -> EventBus[Sequence[Sample]]: ...
    @property
    def problems(self) -> EventBus[Problem]: ...
    def health(self) -> HealthSnapshot: ...
    def check(self) -> CheckReport: ...


class SettingsEditor(Protocol):
    """Settings by dotted key: read, and changed through the one checked path."""

    @property
    def current(self) -> Settings: ...
    def saved(self) -> dict[str, Any]: ...
    def apply(self, changes: Mapping[str, Any], *, actor: str) -> SettingsChange: ...


class ThresholdEditor(Thresholds, Protocol):
    @property
    def global_values(self) -> ThresholdValues: ...
    def proposed(self, plugin_key: str, changes: Mapping[str, Any]) -> ThresholdValues: ...
    def update(self, changes: Iterable[ThresholdChange], *, actor: str) -> None: ...


class Backtests(Protocol):
    def submit(
        self,
        plugins: Sequence[tuple[str, int, ThresholdValues, ThresholdValues]],
        *,
        days: int,
        now: float,
    ) -> Future[Backtest]: ...


class Webhooks(Protocol):
    def current(self) -> list[Webhook]: ...
    def add(
        self,
        *,
        url: str,
        min_level: AlertLevel,
        headers: Mapping[str, str],
        sign: bool,
        actor: str,
    ) -> tuple[Webhook, str | None]: ...
    def remove(self, webhook_id: int, actor: str) -> Webhook: ...
    def send_test(self, webhook_id: int) -> str | None: ...


class Deliveries(Protocol):
    def states(self) -> list[ChannelState]: ...
    def refresh_now(self) -> None: ...


class AuditTrail(Protocol):
    def page(
        self, filters: AuditFilter, *, limit: int, before_id: int | None = None
    ) -> list[AuditEntry]: ...
