"""`build_api`: the HTTP API and the WebSocket stream, from the parts they serve.

Whoever composes the core (the runtime) calls it; nothing in `api/` knows
the runtime, so the API can be built around any set of parts, a test's
included.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import fields

from desktop_app.models.alerts import AlertEvent
from desktop_app.models.problems import Problem
from desktop_app.models.samples import Sample
from desktop_app.services.api.app import create_app, create_stream_app, front
from desktop_app.services.api.connections import ConnectionLimits
from desktop_app.services.api.deps import ApiContext, ApiParts
from desktop_app.services.api.guard import BrowserGuard
from desktop_app.services.api.heavy import ExpensiveReads
from desktop_app.services.api.hotpath import HOT_PATH
from desktop_app.services.api.server import ApiServer, Endpoint
from desktop_app.services.api.shared_reads import SharedReads
from desktop_app.services.api.stream import AlertHub
from desktop_app.services.api.tls import check_tls
from desktop_app.services.api.transport import check_transport
from desktop_app.services.api.waiter import LoopWaiter
from desktop_app.services.clock import UniqueClock
from desktop_app.services.events import EventBus
from desktop_app.services.secrets import SecretStore

__all__ = ["ApiParts", "build_api"]

log = logging.getLogger("plugin_monitor.api")


def build_api(
    parts: ApiParts,
    alert_events: EventBus[AlertEvent],
    problems: EventBus[Problem],
    secrets: SecretStore | None = None,
    samples: EventBus[Sequence[Sample]] | None = None,
) -> ApiServer:
    """The server (a `Worker`, not yet started) for `parts`; it streams every
    event published on `alert_events`. A transport that may not run is refused
    here (OperatorError); one the operator allowed in clear text is a problem.
    `secrets` may hold the TLS key's passphrase; `samples` are streamed to the
    clients that ask for them."""
    settings = parts.settings
    warning = check_transport(settings)
    tls = check_tls(settings, secrets)
    if warning is not None:
        log.warning("%s", warning)
        problems.publish(Problem("api", warning, time.time()))
    hub = AlertHub(parts.alerts, lambda: parts.settings_service.current.alerts_language)
    context = ApiContext(
        **{field.name: getattr(parts, field.name) for field in fields(parts)},
        hub=hub,
        clock=UniqueClock(),
        waiter=LoopWaiter(),
        heavy=ExpensiveReads(settings.max_expensive_reads),
        shared=SharedReads(),
    )
    server = ApiServer(
        [
            Endpoint(
                "API",
                BrowserGuard(
                    front(create_app(context), context, settings.max_body_bytes),
                    settings,
                    answers_itself=(HOT_PATH,),
                ),
                settings.host,
                settings.port,
            ),
            Endpoint(
                "WebSocket stream",
                BrowserGuard(create_stream_app(context), settings),
                settings.host,
                settings.ws_port,
                scheme="ws",
            ),
        ],
        tls=tls,
        on_loop=[hub.attach],
        limits=ConnectionLimits(settings),
        keep_alive_seconds=settings.keep_alive_seconds,
    )
    alert_events.subscribe(hub.publish)
    if samples is not None:
        samples.subscribe(hub.publish_samples)
    return server
