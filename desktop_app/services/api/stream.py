"""The WebSocket alert stream (R7, R8).

Clients narrow what they get with the guide's messages
(`{"type":"subscribe","plugin_id":…}`, `{"type":"filter","levels":[…]}`, and
`unsubscribe`), or from the start with `?plugin_id=…&levels=…` in the URL.
Every event carries its sequence number; a client that comes back with
`last_seq` (query parameter or `{"type":"resume","last_seq":N}`) first gets
what it missed from the database, then the live stream, never an event
twice. Each client has a bounded queue: one that cannot keep up is closed (it
may resume) and never slows the others or the engine. What a client sends is
bounded too: 1 MiB a message, `api.stream_messages_per_second` messages (a
flood of `resume` would replay the database again and again) and
`MAX_SUBSCRIPTIONS` plugins.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import HTTPException
from starlette.websockets import WebSocket, WebSocketDisconnect

from desktop_app.models.alerts import AlertEvent
from desktop_app.models.auth import Principal
from desktop_app.models.levels import AlertLevel
from desktop_app.models.samples import Sample
from desktop_app.services.api.deps import (
    INGEST_ONLY,
    ApiContext,
    authenticate,
    client_address,
    principal_for,
)
from desktop_app.services.api.heavy import BIG_REPLAY_EVENTS, ExpensiveReads
from desktop_app.services.api.sample_messages import sample_messages
from desktop_app.services.api.schemas import AlertEventOut
from desktop_app.services.api.stream_client import QUEUE_SIZE, StreamClient
from desktop_app.services.storage.alerts import AlertQueries

log = logging.getLogger("plugin_monitor.api.stream")

__all__ = ["MAX_SUBSCRIPTIONS", "QUEUE_SIZE", "AlertHub", "StreamClient"]

MAX_SUBSCRIPTIONS = 1000  # plugin ids one client may subscribe to
AUTH_TIMEOUT = 10.0
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_BUSY = 4429
CLOSE_TOO_SLOW = 1013
# Live events are a glance at now; the history behind them (comments, who
# acted) is for key holders. `alerts --follow` on this machine uses the
# monitor's local credential, so it keeps its resume without a key.
REPLAY_NEEDS_KEY = (
    "replaying past events (last_seq, resume) needs an API key of any role; "
    "on this machine `plugin-monitor alerts --follow` uses the local credential by itself"
)


class AlertHub:
    """Fans alert events out to WebSocket clients on the server's loop."""

    def __init__(self, queries: AlertQueries, language: Callable[[], str]) -> None:
        self._queries = queries
        self._language = language  # alerts.language, read per event: changes apply live
        self._clients: set[StreamClient] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    @property
    def client_count(self) -> int:
        return len(self._clients)

    def publish(self, event: AlertEvent) -> None:
        """Bus subscriber, called on the engine thread: hand over, never wait."""
        loop = self._loop
        if loop is not None and self._clients and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._dispatch, event)

    def _dispatch(self, event: AlertEvent) -> None:
        text = AlertEventOut.of(event, language=self._language()).model_dump_json()
        for client in tuple(self._clients):
            client.offer(event, text)

    def publish_samples(self, samples: Sequence[Sample]) -> None:
        """Samples bus subscriber (the writer's thread): handed over only while
        a client has asked for samples; the messages are made on the loop."""
        loop = self._loop
        wanted = any(client.sample_plugins is not None for client in tuple(self._clients))
        if wanted and loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._dispatch_samples, samples)

    def _dispatch_samples(self, samples: Sequence[Sample]) -> None:
        clients = [c for c in tuple(self._clients) if c.sample_plugins is not None]
        if not clients:
            return
        for plugin_key, text in sample_messages(samples):
            for client in clients:
                client.offer_samples(plugin_key, text)

    async def serve(self, websocket: WebSocket) -> None:
        principal = await self._authenticate(websocket)
        if principal is None:
            return
        if principal.scope.ingest_only:
            await websocket.send_json({"type": "error", "detail": INGEST_ONLY})
            await websocket.close(CLOSE_FORBIDDEN)
            return
        params = websocket.query_params
        if principal.anonymous and "last_seq" in params:
            await websocket.send_json({"type": "error", "detail": REPLAY_NEEDS_KEY})
            await websocket.close(CLOSE_UNAUTHORIZED)
            return
        per_second = websocket.app.state.ctx.settings.stream_messages_per_second
        client = StreamClient(principal, allowance=float(per_second))
        client.plugins.update(params.getlist("plugin_id")[:MAX_SUBSCRIPTIONS])
        try:
            client.levels = {
                AlertLevel.parse(level) for level in params.get("levels", "").split(",") if level
            }
        except ValueError as error:
            await websocket.send_json({"type": "error", "detail": str(error)})
            await websocket.close(1008)
            return
        self._clients.add(client)
        try:
            await websocket.send_json(
                {
                    "type": "welcome",
                    "role": principal.role.label,
                    "last_seq": await asyncio.to_thread(self._queries.last_seq),
                }
            )
            last_seq = params.get("last_seq")
            if last_seq is not None and last_seq.isdigit():
                await self._replay(websocket, client, int(last_seq))
            sender = asyncio.create_task(self._send_live(websocket, client))
            try:
                await self._read(websocket, client, per_second)
            finally:
                sender.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await sender
        except WebSocketDisconnect:
            pass
        finally:
            self._clients.discard(client)

    async def _authenticate(self, websocket: WebSocket) -> Principal | None:
        ctx: ApiContext = websocket.app.state.ctx
        try:
            if websocket.headers.get("authorization"):
                principal = authenticate(websocket, ctx, read=True)
                await websocket.accept()
                return principal
            anonymous: Principal | None
            try:
                anonymous = authenticate(websocket, ctx, read=True)
            except HTTPException:
                anonymous = None
            await websocket.accept()
            if anonymous is not None:
                return anonymous
            message = await asyncio.wait_for(websocket.receive_json(), AUTH_TIMEOUT)
            token = message.get("token") if isinstance(message, dict) else None
            if not isinstance(message, dict) or message.get("type") != "auth" or not token:
                raise HTTPException(401, 'send {"type": "auth", "token": "<API key>"} first')
            return principal_for(
                f"Bearer {token}",
                client_address(websocket, ctx.settings),
                ctx,
                read=True,
                route=websocket.url.path,
            )
        except HTTPException as error:
            if websocket.client_state.name == "CONNECTING":
                await websocket.accept()
            await websocket.send_json({"type": "error", "detail": error.detail})
            await websocket.close(CLOSE_UNAUTHORIZED)
        except (TimeoutError, json.JSONDecodeError, KeyError, WebSocketDisconnect):
            with contextlib.suppress(Exception):
                await websocket.send_json({"type": "error", "detail": "authentication timed out"})
                await websocket.close(CLOSE_UNAUTHORIZED)
        return None

    async def _replay(self, websocket: WebSocket, client: StreamClient, after: int) -> None:
        """The events after `after`; one over 10,000 events is an expensive
        read (`ExpensiveReads`), refused with close code 4429 when too many run."""
        client.last_sent = max(client.last_sent, after)
        heavy: ExpensiveReads | None = None
        try:
            while True:
                missed = await asyncio.to_thread(self._queries.events_after, client.last_sent)
                if not missed:
                    return
                if heavy is None and len(missed) >= BIG_REPLAY_EVENTS:
                    heavy = await self._take_slot(websocket)
                for event in missed:
                    if client.wants(event) and not event.alert.historical:
                        shown = AlertEventOut.of(event, language=self._language())
                        await websocket.send_text(shown.model_dump_json())
                    client.last_sent = event.seq
        finally:
            if heavy is not None:
                heavy.give_back()

    @staticmethod
    async def _take_slot(websocket: WebSocket) -> ExpensiveReads:
        heavy: ExpensiveReads = websocket.app.state.ctx.heavy
        try:
            heavy.take()
        except HTTPException:
            await websocket.send_json({"type": "error", "detail": heavy.refusal()})
            await websocket.close(CLOSE_BUSY)
            raise WebSocketDisconnect(CLOSE_BUSY) from None
        return heavy

    async def _send_live(self, websocket: WebSocket, client: StreamClient) -> None:
        while True:
            item = await client.queue.get()
            if item is None:
                await websocket.send_json(
                    {
                        "type": "error",
                        "detail": "too slow: events were dropped; reconnect "
                        f"with last_seq={client.last_sent} to get them",
                    }
                )
                await websocket.close(CLOSE_TOO_SLOW)
                return
            seq, text = item
            if seq and seq <= client.last_sent:
                continue
            await websocket.send_text(text)
            client.last_sent = max(client.last_sent, seq)

    async def _read(self, websocket: WebSocket, client: StreamClient, per_second: int) -> None:
        while True:
            try:
                text = await websocket.receive_text()
            except KeyError:  # a binary message
                text = ""
            if not client.spend(per_second):
                await self._close_flood(websocket, client, per_second)
                return
            try:
                message: Any = json.loads(text)
            except json.JSONDecodeError:
                await websocket.send_json({"type": "error", "detail": "messages must be JSON"})
                continue
            reply = self._handle(message, client)
            if reply.get("type") == "resume":
                await self._replay(websocket, client, int(reply["last_seq"]))
            await websocket.send_json(reply)

    @staticmethod
    async def _close_flood(websocket: WebSocket, client: StreamClient, per_second: int) -> None:
        log.warning(
            "closed the alert stream of %s: more than %d messages a second",
            websocket.client.host if websocket.client else "an unknown client",
            per_second,
        )
        detail = (
            f"more than {per_second} messages a second (api.stream_messages_per_second); "
            f"reconnect with last_seq={client.last_sent} to miss nothing"
        )
        await websocket.send_json({"type": "error", "detail": detail})
        await websocket.close(CLOSE_BUSY)

    @staticmethod
    def _filter(message: dict[str, Any], client: StreamClient) -> dict[str, Any]:
        """Levels to keep (all when empty), and whether silenced events come."""
        if isinstance(message.get("levels"), list):
            try:
                client.levels = {AlertLevel.parse(str(level)) for level in message["levels"]}
            except ValueError as error:
                return {"type": "error", "detail": str(error)}
        if isinstance(message.get("silenced"), bool):
            client.silenced = message["silenced"]
        levels = sorted(level.label for level in client.levels)
        return {"type": "filtered", "levels": levels, "silenced": client.silenced}

    @staticmethod
    def _subscribe_samples(plugin_id: Any, client: StreamClient) -> dict[str, Any]:
        """Samples as they are committed: of `plugin_id`, or of every plugin."""
        if plugin_id is None:
            client.sample_plugins = set()
        elif isinstance(plugin_id, str) and len(client.sample_plugins or ()) < MAX_SUBSCRIPTIONS:
            client.sample_plugins = (client.sample_plugins or set()) | {plugin_id}
        else:
            return {
                "type": "error",
                "detail": f"plugin_id: a plugin id, at most {MAX_SUBSCRIPTIONS}",
            }
        plugins = sorted(client.sample_plugins) or "all"
        return {"type": "samples_subscribed", "plugins": plugins}

    @staticmethod
    def _handle(message: Any, client: StreamClient) -> dict[str, Any]:
        if not isinstance(message, dict):
            return {"type": "error", "detail": "messages must be JSON objects"}
        kind = message.get("type")
        if kind == "subscribe" and isinstance(message.get("plugin_id"), str):
            if len(client.plugins) >= MAX_SUBSCRIPTIONS:
                return {
                    "type": "error",
                    "detail": f"at most {MAX_SUBSCRIPTIONS} plugins a connection; "
                    "unsubscribe from all to receive every plugin's events",
                }
            client.plugins.add(message["plugin_id"])
            return {"type": "subscribed", "plugins": sorted(client.plugins)}
        if kind == "unsubscribe":
            plugin = message.get("plugin_id")
            if isinstance(plugin, str):
                client.plugins.discard(plugin)
            else:
                client.plugins.clear()
            return {"type": "subscribed", "plugins": sorted(client.plugins)}
        if kind == "filter" and (
            isinstance(message.get("levels"), list) or isinstance(message.get("silenced"), bool)
        ):
            return AlertHub._filter(message, client)
        if kind == "resume" and client.principal.anonymous:
            return {"type": "error", "detail": REPLAY_NEEDS_KEY}
        if kind == "resume" and isinstance(message.get("last_seq"), int):
            return {"type": "resume", "last_seq": max(0, message["last_seq"])}
        if kind == "subscribe_samples":
            return AlertHub._subscribe_samples(message.get("plugin_id"), client)
        if kind == "unsubscribe_samples":
            client.sample_plugins = None
            return {"type": "samples_subscribed", "plugins": None}
        if kind == "ping":
            return {"type": "pong"}
        return {
            "type": "error",
            "detail": "unknown message; send subscribe {plugin_id}, unsubscribe {plugin_id}, "
            "filter {levels, silenced}, resume {last_seq}, subscribe_samples {plugin_id?}, "
            "unsubscribe_samples or ping",
        }
