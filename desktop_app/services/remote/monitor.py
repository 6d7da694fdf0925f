"""`RemoteMonitor`: a Plugin Monitor on another machine, as the console shows it.

It has the parts of the embedded monitor that the pages read (`registry`,
`samples`, `engine`, `alerts`, `silences`, `analytics`, `thresholds`,
`plugins`, `supervisor`, the buses), backed by the remote's API and stream.
Two owned threads keep it current: the stream's (alerts and samples as they
happen: each alert event also updates the open alerts at once, so counts and
badges follow it) and a poller that reads the plugin list, states, open
alerts and thresholds every `POLL_SECONDS`, and soon after an operator's
action. Events heard while a read is under way are applied on top of it, so
an older read never undoes a newer event.

The budget is the remote's: its abuse watch raises a warning at
`security.rate_alert_per_minute` requests by one key (100 by default, the
guide's figure). A first version read everything every 2 s (150 requests a
minute) and raised that warning on the monitor it watched. Now: 5 requests
every 10 s, and at most one read every `MIN_GAP_SECONDS` however often it is
woken; with the status bar's health (every 5 s) and the silences panel's
countdown, a console left on the dashboard made 49 requests in a minute
(measured against a running monitor, steady state, in its second minute).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

from desktop_app.models.alerts import AlertEvent
from desktop_app.models.health import HealthSnapshot
from desktop_app.models.problems import Problem
from desktop_app.models.samples import Sample, SampleBlock
from desktop_app.services.events import EventBus
from desktop_app.services.operations import CheckItem, CheckReport
from desktop_app.services.remote.admin_parts import (
    RemoteAudit,
    RemoteBacktests,
    RemoteDeliveries,
    RemoteSettings,
    RemoteThresholdEditor,
    RemoteWebhooks,
)
from desktop_app.services.remote.api import RemoteApi, RemoteError, Snapshot
from desktop_app.services.remote.convert import health_of, seconds
from desktop_app.services.remote.parts import (
    RemoteAlerts,
    RemoteAnalytics,
    RemoteControl,
    RemoteRegistry,
    RemoteSamples,
    RemoteSilences,
)
from desktop_app.services.remote.stream import RemoteStream

log = logging.getLogger("plugin_monitor.remote")

POLL_SECONDS = 10.0
MIN_GAP_SECONDS = 2.0
CONNECTION = "connection"  # the source of the problems this monitor reports


class RemoteMonitor:
    """The monitor at `url`, reached with `key` (see `connect`)."""

    def __init__(self, api: RemoteApi, key: str, *, role: str) -> None:
        self.api, self.url, self.role = api, api.url, role
        self._state = Snapshot()
        self._wake, self._stopping = threading.Event(), threading.Event()
        self._lock = threading.Lock()
        self._heard: list[AlertEvent] | None = None  # events heard during a read
        self.bus: EventBus[AlertEvent] = EventBus()
        self.samples_bus: EventBus[Sequence[Sample]] = EventBus()
        self.problems: EventBus[Problem] = EventBus()
        self._faults: dict[str, str | None] = {"api": None, "stream": None}
        self.registry = RemoteRegistry(api, self.current, self.refresh_soon)
        self.samples = RemoteSamples(api)
        self.engine = self.alerts = RemoteAlerts(api, self.current, self.refresh_soon)
        self.silences = RemoteSilences(api)
        self.analytics = RemoteAnalytics(api)
        self.thresholds = RemoteThresholdEditor(api, self.current, self.refresh_soon)
        self.settings_service = RemoteSettings(api, self.current, self.refresh_soon)
        self.backtests = RemoteBacktests(api)
        self.webhooks = RemoteWebhooks(api)
        self.webhook_delivery = RemoteDeliveries()
        self.audit = RemoteAudit(api)
        self.plugins = self.supervisor = self.discovery = RemoteControl(
            api, self.current, self.refresh_soon
        )
        self.stream = RemoteStream(
            self.url,
            key,
            on_event=self._on_event,
            on_samples=self._on_samples,
            on_state=self._on_stream_state,
        )
        self._poller = threading.Thread(target=self._poll, name="remote-poller", daemon=True)

    @classmethod
    def connect(cls, url: str, key: str) -> RemoteMonitor:
        """Checks the key (`/api/status`) and reads a first snapshot; a refusal
        or silence raises RemoteError saying which."""
        api = RemoteApi(url, key)
        try:
            who = api.call("GET", "/api/status")
            monitor = cls(api, key, role=str(who["role"]))
            monitor._state = api.snapshot(admin=monitor.is_admin)
        except RemoteError:
            api.close()
            raise
        log.info("connected to the monitor at %s with a key of the %s role", api.url, monitor.role)
        return monitor

    @property
    def is_admin(self) -> bool:
        """The key may read and change settings, webhooks and the audit trail."""
        return self.role == "admin"

    @property
    def name(self) -> str:
        """How the title bar names it: its host and port."""
        return self.url.split("://", 1)[-1]

    def current(self) -> Snapshot:
        return self._state

    def refresh_soon(self) -> None:
        self._wake.set()

    def health(self) -> HealthSnapshot:
        return health_of(self.api.call("GET", "/api/system/health"))

    def check(self) -> CheckReport:
        """The guide's daily checks, run by the remote monitor (admin)."""
        answer = self.api.call("GET", "/api/system/check")
        items = tuple(CheckItem(i["name"], bool(i["ok"]), i["text"]) for i in answer["items"])
        return CheckReport(items, seconds(answer["checked_at"]) or time.time())

    def start(self) -> None:
        self._poller.start()
        self.stream.start()

    def stop(self, timeout: float) -> None:
        """Both threads stopped within `timeout` seconds together."""
        deadline = time.monotonic() + timeout
        self._stopping.set()
        self._wake.set()
        self.stream.stop(timeout)
        self._poller.join(max(0.0, deadline - time.monotonic()))
        self.api.close()

    # -- the threads ------------------------------------------------------------

    def _poll(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            if self._stopping.is_set():
                return
            self._read()
            self._stopping.wait(MIN_GAP_SECONDS)

    def _read(self) -> None:
        with self._lock:
            self._heard = []
        try:
            fresh = self.api.snapshot(admin=self.is_admin)
        except RemoteError as error:
            with self._lock:
                self._heard = None
            self._report("api", str(error))
            return
        with self._lock:
            for event in self._heard or ():
                fresh = fresh.with_alert(event.alert)
            self._state, self._heard = fresh, None
        self._report("api", None)

    def _on_event(self, event: AlertEvent) -> None:
        with self._lock:
            self._state = self._state.with_alert(event.alert)
            if self._heard is not None:
                self._heard.append(event)
        self.bus.publish(event)

    def _on_samples(self, block: SampleBlock) -> None:
        if self.registry.get(block.plugin_key) is None:
            self.refresh_soon()  # a plugin the list does not show yet
        self.samples_bus.publish(block)

    def _on_stream_state(self, problem: str | None) -> None:
        self._report("stream", problem)

    @property
    def connection_problem(self) -> str | None:
        """What is wrong with the connection now (None: the API answers and
        the stream is open)."""
        return self._faults["api"] or self._faults["stream"]

    def _report(self, part: str, problem: str | None) -> None:
        """A lost or restored connection, said once when it changes."""
        if problem == self._faults[part]:
            return
        self._faults[part] = problem
        if problem is not None:
            log.warning("%s: %s", self.url, problem)
            self.problems.publish(Problem(CONNECTION, f"{self.name}: {problem}", time.time()))
