"""Abuse seen and slowed (R25): bad API keys per client, requests per key.

A client that sends `auth_failure_limit` bad keys within the window is locked
out: its requests without a valid key get 429 for `lockout_seconds`, while
its requests with a valid key are still served, so an attacker on this
machine cannot lock out the operator's own command line. A key that makes
more requests in a minute than its allowance gets 429 until the minute ends.

The watch feeds the built-in `security` plugin: a sample whenever the number
of locked-out clients or of keys over their rate changes, which raises and
resolves its `auth_failures` and `rate_limit` alerts. Each lockout and each
key going over its rate is also an audit row (`auth.lockout`, `auth.over_rate`)
naming the client or the key: an alert is evaluated from stored numbers, so its
own text counts them and points there. Memory is bounded
whatever the number of distinct clients (`CLIENT_MEMORY`); the per-request
cost is a dictionary lookup and a counter (the API benchmark's ratio is in
docs/performance.md).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from typing import Any

from desktop_app.config import SecuritySettings
from desktop_app.models.alerts import Alert
from desktop_app.models.health import WorkerHealth
from desktop_app.models.plugins import SECURITY_PLUGIN_KEY
from desktop_app.models.samples import Sample
from desktop_app.services.storage.audit import AuditLog
from desktop_app.services.workers import is_running, join

log = logging.getLogger("plugin_monitor.api.auth")

CLIENT_MEMORY = 10_000  # clients whose recent failures or lockout are remembered
TICK_SECONDS = 1.0
# A standing alert's sample again, so a `for_samples` above 1 still raises it.
REPEAT_SECONDS = 5.0
RATE_WINDOW = 60.0
UNKNOWN_CLIENT = "an unknown client"
ACTOR = "monitor (abuse watch)"  # who locks a client out, in the audit trail
RULES = ("auth_failures", "rate_limit")  # the alerts its samples raise and resolve

Emit = Callable[[list[Sample]], None]


def seconds_header(seconds: float) -> dict[str, str]:
    """`Retry-After` in whole seconds, never 0 (a client would retry at once)."""
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


class AbuseWatch:
    """A `Worker`: its thread tells the security plugin what changed; the
    counting itself runs on the API's thread, under a lock only on failures."""

    name = "abuse watch"

    def __init__(
        self,
        settings: SecuritySettings,
        emit: Emit,
        open_alerts: Callable[[], Iterable[Alert]],
        audit: AuditLog,
    ) -> None:
        """`open_alerts()`: the engine's, read at start for one of its own left
        open by the last run; `audit` takes its lockouts and keys over rate."""
        self.settings = settings
        self._emit = emit
        self._open_alerts = open_alerts
        self._audit = audit
        self._unrecorded: list[tuple[str, str, str]] = []  # for the audit trail
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._locked: OrderedDict[str, float] = OrderedDict()  # client -> until (monotonic)
        self._minute = 0
        self._counts: dict[int, int] = {}
        self._over: dict[int, float] = {}  # key id -> until (monotonic)
        self._told = (0, 0)
        self._told_at = 0.0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def configure(self, settings: SecuritySettings) -> None:
        self.settings = settings

    # -- failed logins ----------------------------------------------------------

    def lockout_left(self, client: str | None) -> float:
        """Seconds the client stays locked out (0: it is not)."""
        if not self._locked:
            return 0.0
        until = self._locked.get(client or UNKNOWN_CLIENT)
        return 0.0 if until is None else max(0.0, until - time.monotonic())

    def failed(self, client: str | None, tried: str, route: str) -> None:
        """One bad key: logged, counted, and at the limit the client locked out."""
        who = client or UNKNOWN_CLIENT
        log.info("refused %s from %s on %s", tried, who, route)
        now, settings = time.monotonic(), self.settings
        with self._lock:
            recent = self._failures.pop(who, None)
            if recent is None or recent.maxlen != settings.auth_failure_limit:
                recent = deque(recent or (), maxlen=settings.auth_failure_limit)
            recent.append(now)
            while recent and recent[0] < now - settings.auth_failure_window_seconds:
                recent.popleft()
            if len(recent) < settings.auth_failure_limit:
                self._failures[who] = recent
                _forget_oldest(self._failures)
                return
            self._locked.pop(who, None)
            self._locked[who] = now + settings.lockout_seconds
            _forget_oldest(self._locked)
            why = (
                f"{settings.auth_failure_limit} bad API keys within "
                f"{settings.auth_failure_window_seconds:g} s (the last: {tried} on {route}); "
                f"locked out for {settings.lockout_seconds:g} s, 429 without a valid key"
            )
            self._unrecorded.append(("auth.lockout", who, why))
            del self._unrecorded[:-CLIENT_MEMORY]
        log.warning("locked out %s: %s", who, why)
        self._wake.set()

    # -- rates ------------------------------------------------------------------

    def admit(self, key_id: int, name: str, *, ingest: bool) -> float:
        """Count one request by a key; the seconds until it may ask again when
        it is over its limit, else 0."""
        now = time.monotonic()
        minute = int(now // RATE_WINDOW)
        if minute != self._minute:
            self._minute, self._counts = minute, {}
        count = self._counts[key_id] = self._counts.get(key_id, 0) + 1
        settings = self.settings
        limit = settings.ingest_rate_limit_per_minute if ingest else settings.rate_limit_per_minute
        if count > (limit if ingest else settings.rate_alert_per_minute):
            self._note_over(key_id, name, count, now)
        return (minute + 1) * RATE_WINDOW - now if count > limit else 0.0

    def _note_over(self, key_id: int, name: str, count: int, now: float) -> None:
        if self._over.get(key_id, 0.0) <= now:
            why = f"{count} requests this minute, over its rate"
            log.warning("API key %s (%d) made %s", name, key_id, why)
            with self._lock:
                self._unrecorded.append(("auth.over_rate", f"{name} (key {key_id})", why))
            self._wake.set()
        self._over[key_id] = now + RATE_WINDOW

    # -- the worker -------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="abuse-watch", daemon=True)
        self._thread.start()

    def stop(self, deadline: float) -> bool:
        self._stopping.set()
        self._wake.set()
        return join(self._thread, deadline)

    def health(self) -> WorkerHealth:
        details = {
            "locked_out_clients": len(self._locked),
            "keys_over_rate": len(self._over),
            "clients_remembered": self.clients_remembered,
        }
        return WorkerHealth(self.name, is_running(self._thread), details=details)

    @property
    def clients_remembered(self) -> int:
        """Clients with recent failures or a lockout: at most twice CLIENT_MEMORY."""
        return len(self._failures) + len(self._locked)

    def _run(self) -> None:
        # A lockout does not outlive the process that made it: its alert resolves.
        self._tell(force=self._standing())
        while not self._stopping.is_set():
            self._wake.wait(TICK_SECONDS)
            self._wake.clear()
            if not self._stopping.is_set():
                self._tell()

    def _standing(self) -> bool:
        """Whether one of its alerts was left open by the last run."""
        return any(
            (alert.plugin_key, alert.rule in RULES) == (SECURITY_PLUGIN_KEY, True)
            for alert in self._open_alerts()
        )

    def _tell(self, *, force: bool = False) -> None:
        now = time.monotonic()
        with self._lock:
            for client in [c for c, until in self._locked.items() if until <= now]:
                del self._locked[client]
                log.info("the lockout of %s ended", client)
            for key_id in [k for k, until in self._over.items() if until <= now]:
                del self._over[key_id]
            state = (len(self._locked), len(self._over))
            unrecorded, self._unrecorded = self._unrecorded, []
        for action, target, why in unrecorded:
            self._audit.record_later(actor=ACTOR, action=action, target=target, new_value=why)
        repeat = any(state) and now - self._told_at >= REPEAT_SECONDS
        if force or repeat or state != self._told:
            self._told, self._told_at = state, now
            extras = {"locked_out_clients": float(state[0]), "keys_over_rate": float(state[1])}
            self._emit([Sample(SECURITY_PLUGIN_KEY, time.time(), extras=extras)])


def _forget_oldest(clients: OrderedDict[str, Any]) -> None:
    while len(clients) > CLIENT_MEMORY:
        clients.popitem(last=False)
