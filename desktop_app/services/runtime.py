"""The runtime: one object that composes the core and owns its threads.

The desktop console and the headless service both build a `PluginMonitor`;
the console only adds windows. `open()` does everything that can fail because
of the operator's environment (folder, settings, database, lock) before any
thread starts; `stop()` ends every thread within a bounded time and commits
everything that was acknowledged.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from desktop_app.config import Settings, SettingsFile
from desktop_app.logs import ensure_logging_conf
from desktop_app.models.alerts import AlertEvent
from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.paths import DataPaths
from desktop_app.services.alerts.engine import AlertEngine
from desktop_app.services.alerts.notifications_log import NotificationsLog
from desktop_app.services.alerts.rules import RULES
from desktop_app.services.analytics.baseline import HourOfWeekBaselines, unusual_hour_rule
from desktop_app.services.analytics.history import History
from desktop_app.services.analytics.report import AnalyticsService
from desktop_app.services.analytics.rollup_worker import RollupWorker
from desktop_app.services.analytics.timezones import operator_timezone
from desktop_app.services.collectors.base import Collector
from desktop_app.services.collectors.process import ProcessCollector
from desktop_app.services.collectors.scheduler import CollectionScheduler
from desktop_app.services.collectors.system import (
    SYSTEM_PLUGIN_KEY,
    SYSTEM_PLUGIN_NAME,
    SystemCollector,
)
from desktop_app.services.events import EventBus
from desktop_app.services.instance_lock import InstanceLock
from desktop_app.services.plugins.manifest import discover
from desktop_app.services.plugins.registry import PluginRegistry
from desktop_app.services.storage.alerts import AlertQueries
from desktop_app.services.storage.audit import AuditLog
from desktop_app.services.storage.database import open_database
from desktop_app.services.storage.samples import SampleStore
from desktop_app.services.storage.writer import DatabaseWriter, Notify
from desktop_app.services.thresholds import ThresholdSettings

if TYPE_CHECKING:
    from desktop_app.services.api.server import ApiServer

log = logging.getLogger("plugin_monitor.runtime")

INGEST_TIMEOUT = 30.0


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
    ) -> None:
        self.api_settings = settings.api
        self.paths = paths
        self.settings_file = settings_file
        self.settings = settings
        self._lock = lock
        self.database = database
        self.bus: EventBus[AlertEvent] = EventBus()
        # Every committed group of samples, for live views (one event per group).
        self.samples_bus: EventBus[Sequence[Sample]] = EventBus()
        self.writer = DatabaseWriter(
            database,
            self._plugin_id,
            batch_limit=settings.batch_limit,
            on_committed=self._committed,
        )
        self.samples = SampleStore(database)
        self.audit = AuditLog(database, self.writer)
        self.registry = PluginRegistry(database, self.writer, self.audit)
        self.thresholds = ThresholdSettings(
            settings_file, self.audit, settings.thresholds, settings.plugin_thresholds
        )
        self.alerts = AlertQueries(database)
        timezone = functools.partial(operator_timezone, settings.timezone)
        self.analytics = AnalyticsService(
            History(self.samples), self.thresholds.effective, timezone
        )
        self.baselines = HourOfWeekBaselines(self.analytics, self.thresholds.effective, timezone)
        self.engine = AlertEngine(
            queries=self.alerts,
            writer=self.writer,
            registry=self.registry,
            thresholds=self.thresholds,
            bus=self.bus,
            throttle_seconds=settings.throttle_seconds,
            rules=(*RULES, unusual_hour_rule(self.baselines)),
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
        if collectors is None:
            collectors = (
                SystemCollector(paths.root),
                ProcessCollector(self.registry.all),
            )
        self.scheduler = CollectionScheduler(
            collectors,
            self._collected,
            interval=interval or settings.collection_interval,
        )
        self.api: ApiServer | None = None  # set by start() when the API is enabled
        self.started_at: float | None = None

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        interval: float | None = None,
        collectors: Sequence[Collector] | None = None,
        api: dict[str, Any] | None = None,
    ) -> PluginMonitor:
        """Lay out the data folder, load settings, lock, open the database.

        `api` overrides settings of the [api] section for this run (the
        command line's --port, or enabled=False for a monitor without API).
        """
        paths = DataPaths(data_dir)
        paths.prepare()
        settings_file = SettingsFile(paths.settings_file)
        settings_file.ensure_exists()
        ensure_logging_conf(paths)
        settings = settings_file.load()
        if api:
            settings = replace(settings, api=replace(settings.api, **api))
        lock = InstanceLock(paths.lock_file)
        lock.acquire()
        try:
            database = open_database(paths.database, synchronous=settings.synchronous)
        except BaseException:
            lock.release()
            raise
        return cls(
            paths,
            settings_file,
            settings,
            lock,
            database,
            interval=interval,
            collectors=collectors,
        )

    # -- lifecycle --------------------------------------------------------------

    def start(self, *, monitoring: bool = True) -> None:
        """Start every thread; if one part cannot start, stop the rest and re-raise."""
        try:
            self._start(monitoring)
        except BaseException:
            self.stop()
            raise

    def _start(self, monitoring: bool) -> None:
        self.writer.start()
        self.registry.load()
        self.registry.register(SYSTEM_PLUGIN_KEY, SYSTEM_PLUGIN_NAME, PluginSource.BUILTIN)
        for manifest in discover(self.paths.plugins_dir):
            self.registry.register(
                manifest.key, manifest.name, PluginSource.DIRECTORY, process=manifest.process
            )
        self.engine.start()
        self.rollups.start()
        self.scheduler.start(active=monitoring)
        if self.api_settings.enabled:
            self._start_api()
        self.started_at = time.time()
        log.info(
            "monitor started: data folder %s, plugins registered: %d, collecting every %gs",
            self.paths.root,
            len(self.registry.all()),
            self.scheduler.interval,
        )

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop collection, commit and evaluate what was accepted, then end.

        Returns False if some thread did not finish within `timeout`.
        """
        deadline = time.monotonic() + timeout
        finished = True
        if self.api is not None:
            finished = self.api.stop(min(5.0, _left(deadline)))
        finished &= self.scheduler.stop(_left(deadline))
        if self.started_at is not None:
            try:
                self.writer.run_job(lambda _conn: None).result(_left(deadline))
                self.engine.flush().result(_left(deadline))
            except Exception as error:
                log.error("could not finish pending work while stopping: %s", error)
                finished = False
        finished &= self.rollups.stop(_left(deadline))
        finished &= self.engine.stop(_left(deadline))
        finished &= self.writer.stop(_left(deadline))
        self._unsubscribe_notifications()
        self._notifications.close()
        self.database.dispose()
        self._lock.release()
        log.info("monitor stopped%s", "" if finished else " (some work did not finish in time)")
        return finished

    def __enter__(self) -> PluginMonitor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _start_api(self) -> None:
        """Imported here: collection starts before FastAPI has loaded, and a
        monitor without API never loads it."""
        from desktop_app.services.api.app import create_app, create_stream_app, front
        from desktop_app.services.api.deps import ApiContext
        from desktop_app.services.api.server import ApiServer, Endpoint
        from desktop_app.services.api.stream import AlertHub
        from desktop_app.services.api.waiter import LoopWaiter
        from desktop_app.services.auth.keys import ApiKeyStore
        from desktop_app.services.clock import UniqueClock

        settings = self.api_settings
        hub = AlertHub(self.alerts)
        context = ApiContext(
            monitor=self,
            keys=ApiKeyStore(self.database),
            settings=settings,
            hub=hub,
            samples=self.samples,
            clock=UniqueClock(),
            waiter=LoopWaiter(),
        )
        self.api = ApiServer(
            [
                Endpoint(
                    "API",
                    front(create_app(context), context, settings.max_body_bytes),
                    settings.host,
                    settings.port,
                ),
                Endpoint(
                    "WebSocket stream",
                    create_stream_app(context),
                    settings.host,
                    settings.ws_port,
                    scheme="ws",
                ),
            ],
            ssl_cert=settings.ssl_cert,
            ssl_key=settings.ssl_key,
            on_loop=[hub.attach],
        )
        self.api.start()
        self.bus.subscribe(hub.publish)

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

    # -- wiring ---------------------------------------------------------------------

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


def _left(deadline: float) -> float:
    return max(0.1, deadline - time.monotonic())


def _log_collection_failure(future: Future[int]) -> None:
    error = future.exception()
    if error is not None:
        log.error("collected samples were not stored: %s", error)
