"""The runtime: one object that composes the core and owns its threads.

The desktop console and the headless service both build a `PluginMonitor`;
the console only adds windows. `open()` does everything that can fail because
of the operator's environment (folder, settings, database, lock) before any
thread starts; `stop()` ends every thread within a bounded time and commits
everything that was acknowledged.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import fields
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from desktop_app.config import (
    BackupSettings,
    RetentionSettings,
    SecuritySettings,
    Settings,
    SettingsFile,
)
from desktop_app.logs import set_level
from desktop_app.models.alerts import AlertEvent
from desktop_app.models.health import HealthSnapshot
from desktop_app.models.plugins import SECURITY_PLUGIN_KEY
from desktop_app.models.problems import Problem
from desktop_app.models.samples import Sample
from desktop_app.paths import DataPaths
from desktop_app.services.alerts.engine import AlertEngine
from desktop_app.services.alerts.no_data import SilenceWatch
from desktop_app.services.alerts.notifications_log import NotificationsLog
from desktop_app.services.alerts.rules import RULES
from desktop_app.services.alerts.silences import SilenceService
from desktop_app.services.alerts.wording import alert_message
from desktop_app.services.analytics.backtest_pool import BacktestPool
from desktop_app.services.analytics.baseline import HourOfWeekBaselines, unusual_hour_rule
from desktop_app.services.analytics.history import History
from desktop_app.services.analytics.report import AnalyticsService
from desktop_app.services.analytics.rollup_worker import RollupWorker
from desktop_app.services.analytics.timezones import operator_timezone
from desktop_app.services.audit_trail import AuditTrail
from desktop_app.services.auth.abuse import AbuseWatch
from desktop_app.services.backup.scheduler import BackupScheduler
from desktop_app.services.collectors.base import Collector
from desktop_app.services.collectors.live_host import HostPoint, LiveHostView
from desktop_app.services.collectors.process import ProcessCollector
from desktop_app.services.collectors.scheduler import CollectionScheduler
from desktop_app.services.collectors.system import SYSTEM_PLUGIN_KEY, SystemCollector
from desktop_app.services.events import EventBus
from desktop_app.services.freed_memory import FreedMemoryReturn
from desktop_app.services.instance_lock import InstanceLock
from desktop_app.services.monitor_api import build_monitor_api
from desktop_app.services.opening import open_monitor_folder
from desktop_app.services.operations import CheckReport, run_checks
from desktop_app.services.plugins.control import PluginControl
from desktop_app.services.plugins.discovery import PluginDiscovery
from desktop_app.services.plugins.entry_points import EntryPointPlugins
from desktop_app.services.plugins.registry import PluginRegistry
from desktop_app.services.plugins.supervisor import Supervisor
from desktop_app.services.prometheus import PluginValues
from desktop_app.services.secrets import SecretStore
from desktop_app.services.settings import SettingsService
from desktop_app.services.settings_watch import SettingsWatcher
from desktop_app.services.storage.alerts import AlertQueries
from desktop_app.services.storage.database import location, shown_location, size_bytes
from desktop_app.services.storage.silences import SilenceRows
from desktop_app.services.storage.webhooks import WebhookRows
from desktop_app.services.storage.writer_items import Notify
from desktop_app.services.storage_parts import compose_storage
from desktop_app.services.thresholds import ThresholdSettings
from desktop_app.services.uncaught import UncaughtErrors
from desktop_app.services.webhooks.delivery import WebhookDelivery
from desktop_app.services.webhooks.service import WebhookService
from desktop_app.services.workers import Worker, WorkerHealth, deadline_in, start_all, stop_all

if TYPE_CHECKING:
    from desktop_app.services.api.server import ApiServer

log = logging.getLogger("plugin_monitor.runtime")

STOP_SECONDS = 10.0


class PluginMonitor:
    def __init__(
        self,
        paths: DataPaths,
        settings_file: SettingsFile,
        settings: Settings,
        lock: InstanceLock,
        database: Engine,
        *,
        interval: float | None = None,
        collectors: Sequence[Collector] | None = None,
        live_host: bool = False,
    ) -> None:
        self.api_settings = settings.api
        self.paths = paths
        self.settings_file = settings_file
        self.problems: EventBus[Problem] = EventBus()
        # What start() had to say (clear text, secrets in files), for a console
        # that attaches after it.
        self.start_problems: list[Problem] = []
        self.secrets = SecretStore(paths.root)
        self._lock = lock
        self.database = database
        self.bus: EventBus[AlertEvent] = EventBus()
        # Every committed group of samples, for live views (one event per group).
        self.samples_bus: EventBus[Sequence[Sample]] = EventBus()
        # Why the database was replaced (a restore, an outside program), once
        # the monitor has taken up its content: views read everything afresh.
        self.replaced: EventBus[str] = EventBus()
        # Each plugin's newest values for Prometheus' /metrics, kept as they commit.
        self.exposed = PluginValues()
        self.samples_bus.subscribe(self.exposed.note)
        self.replaced.subscribe(self.exposed.forget)
        storage = compose_storage(
            paths,
            database,
            batch_limit=settings.batch_limit,
            problems=self.problems,
            newest_backup=lambda: self.backups.newest(),  # noqa: PLW0108 - made later
            plugin_id=self._plugin_id,
            committed=self._committed,
            take_up=self.take_up_replaced,
            secrets=self.secrets,
            backup_settings=lambda: self.settings.backup,
        )
        (self.writer, self.samples, self.audit, self.restores, self.database_check) = (
            storage.writer,
            storage.samples,
            storage.audit,
            storage.restores,
            storage.check,
        )
        self.registry = PluginRegistry(database, self.writer, self.audit)
        self.thresholds = ThresholdSettings(
            settings_file, self.audit, settings.thresholds, settings.plugin_thresholds
        )
        self.settings_service = SettingsService(
            settings_file, settings, self.audit, self.thresholds
        )
        self.alerts = AlertQueries(database)
        self.silences = SilenceService(SilenceRows(database))

        def timezone() -> tzinfo:
            return operator_timezone(self.settings_service.current.timezone)

        self.analytics = AnalyticsService(
            History(self.samples), self.thresholds.effective, timezone
        )
        self.backtests = BacktestPool(location(database))
        self.baselines = HourOfWeekBaselines(self.analytics, self.thresholds.effective, timezone)
        self.engine = AlertEngine(
            queries=self.alerts,
            writer=self.writer,
            registry=self.registry,
            thresholds=self.thresholds,
            bus=self.bus,
            throttle_seconds=settings.throttle_seconds,
            rules=(*RULES, unusual_hour_rule(self.baselines)),
            samples=self.samples,
            no_data=SilenceWatch(
                self.thresholds.effective,
                lambda: self.settings.no_data_min_seconds,
                self._collected_every,
            ),
            watched=self._silence_matters,
            silences=self.silences,
            flap_limits=lambda: (self.settings.flap_changes, self.settings.flap_window_seconds),
        )
        self.backups = BackupScheduler(
            paths,
            lambda: self.settings.backup,
            audit=self.audit,
            emit=self._collected,
            open_alerts=self.engine.open_alerts,
            secrets=self.secrets,
            left_to_server=storage.backups_left_to,
        )
        self.rollups = RollupWorker(
            self.samples,
            self.writer,
            self.registry.ids,
            settings.retention,
            after_pass=self._after_rollups,
        )
        self._notifications = NotificationsLog(paths.logs_dir / "notifications.log")
        self._unsubscribe_notifications = self.bus.subscribe(self._notifications)
        self.webhooks = WebhookService(WebhookRows(database), self.secrets)
        self.webhook_delivery = WebhookDelivery(
            self.webhooks,
            summary=lambda alert: alert_message(alert, self.settings.alerts_language),
            external_url=lambda: self.api.external_url if self.api else "",
        )
        self.bus.subscribe(self.webhook_delivery)
        self.supervisor = Supervisor(
            logs_dir=paths.plugin_logs_dir,
            run_dir=paths.run_dir,
            emit=self._collected,
            settings=lambda: self.settings.supervisor,
            is_enabled=self.registry.is_enabled,
        )
        if collectors is None:
            collectors = (
                SystemCollector(paths.root),
                ProcessCollector(
                    self.registry.all,
                    self.registry.note_missing_processes,
                    self.supervisor.statuses,
                ),
                EntryPointPlugins(self.registry, lambda: self.scheduler.interval),
            )
        self.scheduler = CollectionScheduler(
            collectors,
            self._collected,
            interval=interval or settings.collection_interval,
        )
        self.discovery = PluginDiscovery(self.registry, paths.plugins_dir, self.supervisor)
        self.plugins = PluginControl(
            self.registry,
            self.supervisor,
            self.discovery,
            self.audit,
            plugins_dir=paths.plugins_dir,
        )
        self.settings_watcher = SettingsWatcher(self.settings_service, self.problems)
        self.abuse = AbuseWatch(
            settings.security, self._collected, self.engine.open_alerts, self.audit
        )
        self.audit_trail = AuditTrail(self.audit, paths.logs_dir / "audit.log", self._collected)
        self._apply_settings_live()
        self.api: ApiServer | None = None  # set by start() when the API is enabled
        # Started in this order, stopped in reverse: the writer first up and last
        # down, so every other part can store until it has stopped.
        self.workers: list[Worker] = [
            UncaughtErrors(self.problems),
            self.writer,
            *storage.file_watches,
            self.database_check,
            self.supervisor,  # before discovery, which hands it the plugins to run
            self.discovery,
            self.webhook_delivery,  # stopped after the engine: its last events are queued
            self.engine,
            self.abuse,  # after the engine: its first sample resolves a lockout of the last run
            self.audit_trail,
            self.backtests,
            self.backups,
            self.rollups,
            self.scheduler,
            self.settings_watcher,
            FreedMemoryReturn(),
        ]
        # The host every second, for a console's live charts (not stored).
        self.host_bus: EventBus[HostPoint] = EventBus()
        self.live_host = LiveHostView(self.host_bus) if live_host else None
        if self.live_host is not None:
            self.workers.append(self.live_host)
        self.started_at: float | None = None

    def _apply_settings_live(self) -> None:
        live = self.settings_service.applies_live
        live("collection.interval", lambda s: self.scheduler.set_interval(s.collection_interval))
        live("alerts.throttle_seconds", lambda s: self.engine.set_throttle(s.throttle_seconds))
        for key in (f"storage.{days.name}" for days in fields(RetentionSettings)):
            live(key, lambda s: setattr(self.rollups, "retention", s.retention))
        live("logging.level", lambda s: set_level(s.log_level))
        for key in ("supervisor.healthy_after_seconds", "supervisor.keep_running"):
            live(key, lambda _s: None)  # read by the supervisor when it needs them
        for key in (f"backup.{name.name}" for name in fields(BackupSettings)):
            live(key, lambda _s: None)  # read by the backup scheduler for each backup
        for key in (f"security.{name.name}" for name in fields(SecuritySettings)):
            live(key, lambda s: self.abuse.configure(s.security))

    @property
    def settings(self) -> Settings:
        """The settings as they run now."""
        return self.settings_service.current

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        interval: float | None = None,
        collectors: Sequence[Collector] | None = None,
        api: dict[str, Any] | None = None,
        live_host: bool = False,
    ) -> PluginMonitor:
        """Lay out the data folder, load settings, lock, open the database.

        `api` overrides settings of the [api] section for this run (the
        command line's --port, or enabled=False for a monitor without API);
        `live_host` adds the 1 s in-memory host view a console draws.
        """
        folder = open_monitor_folder(data_dir, interval=interval, api=api)
        return cls(
            folder.paths,
            folder.settings_file,
            folder.settings,
            folder.lock,
            folder.database,
            interval=interval,
            collectors=collectors,
            live_host=live_host,
        )

    # -- lifecycle --------------------------------------------------------------

    def start(self, *, monitoring: bool = True) -> None:
        """Start every worker; if one cannot start, stop those started and re-raise."""
        if monitoring:
            self.scheduler.resume()
        stop_recording = self.problems.subscribe(self.start_problems.append)
        try:
            if notice := self.secrets.announce():
                self.problems.publish(Problem("secrets", notice, time.time()))
            if self.api_settings.enabled:
                self.api = build_monitor_api(self)
                self.workers.append(self.api)
            start_all(self.workers, STOP_SECONDS)
        except BaseException:
            self._close()
            raise
        finally:
            stop_recording()
        self.started_at = time.time()
        log.info(
            "monitor started: data folder %s, plugins registered: %d, collecting every %gs",
            self.paths.root,
            len(self.registry.all()),
            self.scheduler.interval,
        )

    def stop(self, timeout: float = STOP_SECONDS) -> bool:
        """Stop collection, commit and evaluate what was accepted, then end.

        Returns False if some part did not finish within `timeout`.
        """
        started = self.started_at is not None
        finished = stop_all(self.workers, deadline_in(timeout)) if started else True
        self._close()
        log.info("monitor stopped%s", "" if finished else " (some work did not finish in time)")
        return finished

    def _close(self) -> None:
        self.started_at = None
        self._unsubscribe_notifications()
        self._notifications.close()
        self.database.dispose()
        self._lock.release()

    def __enter__(self) -> PluginMonitor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def health(self) -> HealthSnapshot:
        """One snapshot of every part, for the API's health and the status bar
        (a database server that does not answer is one of its problems)."""
        size, unanswered = size_bytes(self.database)
        server = (WorkerHealth("database", running=True, error=unanswered),) if unanswered else ()
        return HealthSnapshot(
            started_at=self.started_at,
            monitoring=self.monitoring,
            plugins=len(self.registry.all()),
            open_alerts=len(self.engine.open_alerts()),
            database_path=shown_location(self.database),
            database_bytes=size,
            workers=tuple(worker.health() for worker in self.workers) + server,
            plugin_states=tuple((s.plugin_id, s.state.value) for s in self.plugins.states()),
        )

    def check(self) -> CheckReport:
        """The guide's daily checks (R28): `plugin-monitor check`, the Help menu."""
        paths = self.paths
        return run_checks(
            self.health(),
            self.engine.open_alerts(),
            logs_dir=paths.logs_dir,
            newest_backup=self.backups.newest(),
            backup_hours=self.settings.backup.interval_hours,
            marker=paths.run_dir / "last-check",
            backups_left_to=self.backups.left_to_server,
        )

    # -- monitoring ---------------------------------------------------------------

    @property
    def monitoring(self) -> bool:
        return self.scheduler.active

    def start_monitoring(self) -> None:
        self.scheduler.resume()

    def stop_monitoring(self) -> None:
        self.scheduler.pause()

    def ingest(self, samples: Sequence[Sample]) -> Future[int]:
        """Store samples (from the API or a test); the Future completes on commit."""
        return self.writer.submit(samples)

    def ingest_and_notify(self, samples: Sequence[Sample], notify: Notify) -> None:
        """Store samples; `notify(count, error)` runs on the writer thread at commit."""
        self.writer.submit_and_notify(samples, notify)

    # -- restore --------------------------------------------------------------------

    def take_up_replaced(self, reason: str) -> None:
        """Read again what the monitor keeps of the database (its plugins,
        silences, open alerts and evaluation marks, keys), then tell views."""
        self.database_check.restored()
        self.registry.load()
        self.silences.reload()
        self.engine.reload().result(STOP_SECONDS)
        log.info("the database was replaced (%s); its content is taken up", reason)
        self.replaced.publish(reason)

    # -- wiring ---------------------------------------------------------------------

    def _collected_every(self, key: str) -> float | None:
        """The collection interval for a plugin this monitor collects itself
        (the host, a watched process); None for a plugin that pushes."""
        info = self.registry.get(key)
        collected = info is not None and (
            key == SYSTEM_PLUGIN_KEY
            or info.process is not None
            or self.supervisor.status(key) is not None
        )
        return self.scheduler.interval if collected else None

    def _silence_matters(self, key: str) -> bool:
        """A plugin's silence is news while it is enabled, and for a collected
        one while collection is on (the operator turned it off otherwise)."""
        if key == SECURITY_PLUGIN_KEY:
            return False  # its samples are events, not a heartbeat
        supervised = self.supervisor.status(key)
        if supervised is not None and supervised.pid is None:
            return False  # not running: its state and supervision alerts say why
        return self.registry.is_enabled(key) and (
            self._collected_every(key) is None or self.scheduler.active
        )

    def _plugin_id(self, key: str) -> int | None:
        return self.registry.id_for(key)

    def _committed(self, samples: Sequence[Sample]) -> None:
        self.registry.mark_seen(samples)
        self.engine.submit(samples)
        self.rollups.note_committed(samples)
        self.samples_bus.publish(samples)

    def _after_rollups(self, now: float) -> None:
        self.baselines.refresh(self.registry.ids(), now)

    def _collected(self, samples: list[Sample]) -> None:
        enabled = [s for s in samples if self.registry.is_enabled(s.plugin_key)]
        if enabled:
            self.writer.submit(enabled).add_done_callback(_log_collection_failure)


def tune_garbage_collection() -> None:
    """Long-lived start-up objects leave the collector's view, and young
    collections run less often: a batch push allocates thousands of small
    objects, and full collections over the whole heap would stall ingest."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def _log_collection_failure(future: Future[int]) -> None:
    error = future.exception()
    if error is not None:
        log.error("collected samples were not stored: %s", error)
