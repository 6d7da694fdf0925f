"""The WebSocket alert stream with real clients on both ports."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from desktop_app.models.alerts import Alert, AlertEvent, AlertEventKind, AlertStatus
from desktop_app.models.auth import Principal, Role
from desktop_app.models.levels import AlertLevel
from desktop_app.services.api import stream as stream_module
from desktop_app.services.api.stream import MAX_SUBSCRIPTIONS, QUEUE_SIZE, AlertHub, StreamClient
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.runtime import PluginMonitor
from tests.services.api.conftest import Keys, start_api_monitor
from tests.services.api.test_backtest_route import expensive_reads

PUSH = "/api/advanced-monitoring/update-metrics"


@contextmanager
def stream(url: str, **headers: str) -> Iterator[ClientConnection]:
    with connect(url, additional_headers=headers, open_timeout=5) as ws:
        welcome = json.loads(ws.recv(timeout=5))
        assert welcome["type"] == "welcome"
        yield ws


def send(ws: ClientConnection, message: dict[str, Any]) -> dict[str, Any]:
    ws.send(json.dumps(message))
    reply: dict[str, Any] = json.loads(ws.recv(timeout=5))
    return reply


def alerts_received(ws: ClientConnection, quiet: float = 0.4) -> list[dict[str, Any]]:
    return received(ws, "alert", quiet)


def received(ws: ClientConnection, kind: str, quiet: float) -> list[dict[str, Any]]:
    """The messages of `kind` until none comes for `quiet` seconds."""
    got = []
    while True:
        try:
            message = json.loads(ws.recv(timeout=quiet))
        except TimeoutError:
            return got
        if message["type"] == kind:
            got.append(message)


@pytest.fixture
def recorded(api_monitor: PluginMonitor) -> list[AlertEvent]:
    events: list[AlertEvent] = []
    api_monitor.bus.subscribe(events.append)
    return events


@pytest.fixture
def pusher(admin: httpx.Client, api_monitor: PluginMonitor) -> Callable[..., None]:
    for plugin in ("a", "b"):
        admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": plugin})

    def push(plugin: str, **metrics: float) -> None:
        assert admin.post(PUSH, json={"plugin_id": plugin, "metrics": metrics}).status_code == 200
        api_monitor.engine.flush().result(10)

    return push


def test_an_alert_raised_by_update_metrics_reaches_a_client(stream_url: str, pusher: Any) -> None:
    with stream(stream_url) as ws:
        pusher("a", cpu_usage=97)
        (message,) = alerts_received(ws)
    assert message["event"] == "raised" and message["seq"] > 0
    assert (message["alert"]["plugin_id"], message["alert"]["level"]) == ("a", "critical")


def test_a_recovery_reaches_a_client_as_one(stream_url: str, pusher: Any) -> None:
    with stream(stream_url) as ws:
        pusher("a", cpu_usage=97)
        pusher("a", cpu_usage=40)
        raised, resolved = alerts_received(ws)
    assert (raised["recovery"], resolved["recovery"]) == (False, True)
    assert resolved["event"] == "resolved"
    assert resolved["alert"]["message"].startswith("CPU usage back to 40 % (below 80 %) after")


def test_the_api_port_serves_the_same_stream_on_ws(base_url: str, pusher: Any) -> None:
    with stream(base_url.replace("http", "ws") + "/ws") as ws:
        pusher("b", memory_usage=90)
        assert [m["alert"]["rule"] for m in alerts_received(ws)] == ["memory"]


def test_subscribe_and_filter_deliver_exactly_the_matching_events(
    stream_url: str, pusher: Any, recorded: list[AlertEvent]
) -> None:
    with stream(stream_url) as narrow, stream(stream_url) as everything:
        assert send(narrow, {"type": "subscribe", "plugin_id": "a"}) == {
            "type": "subscribed",
            "plugins": ["a"],
        }
        assert send(narrow, {"type": "filter", "levels": ["error", "critical"]}) == {
            "type": "filtered",
            "levels": ["critical", "error"],
            "silenced": True,
        }
        for plugin in ("a", "b"):
            pusher(plugin, cpu_usage=85, memory_usage=99)
            pusher(plugin, cpu_usage=99, error_count=50, request_count=100)
        narrow_seqs = [m["seq"] for m in alerts_received(narrow)]
        all_seqs = [m["seq"] for m in alerts_received(everything)]
    expected = [
        e.seq
        for e in recorded
        if e.alert.plugin_key == "a" and e.alert.level.label in ("error", "critical")
    ]
    assert narrow_seqs == expected and len(expected) == 3
    assert all_seqs == [e.seq for e in recorded] and len(all_seqs) == 8


def test_a_resumed_client_gets_exactly_the_missed_events_once(
    stream_url: str, pusher: Any, recorded: list[AlertEvent], keys: Keys
) -> None:
    with stream(stream_url) as ws:
        pusher("a", cpu_usage=99)
        seen = [m["seq"] for m in alerts_received(ws)]
    pusher("a", cpu_usage=10)
    pusher("b", cpu_usage=85)
    missed = [e.seq for e in recorded if e.seq > seen[-1]]
    with stream(f"{stream_url}?last_seq={seen[-1]}", **keys.header("viewer")) as ws:
        replayed = [m["seq"] for m in alerts_received(ws)]
        pusher("b", cpu_usage=99)
        live = [m["seq"] for m in alerts_received(ws)]
    assert replayed == missed and len(missed) == 2
    assert live == [recorded[-1].seq]
    with stream(stream_url, **keys.header("viewer")) as ws:
        assert send(ws, {"type": "resume", "last_seq": seen[-1]})["type"] != "error"


def test_a_big_replay_takes_an_expensive_read_slot_and_is_refused_when_none_is_free(
    stream_url: str,
    pusher: Any,
    keys: Keys,
    api_monitor: PluginMonitor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for cpu in (99, 10, 99):
        pusher("a", cpu_usage=cpu)
    monkeypatch.setattr(stream_module, "BIG_REPLAY_EVENTS", 3)  # 10,000 in earnest
    heavy = expensive_reads(api_monitor)
    heavy.take()
    heavy.take()  # two running, as two big replays or backtests would be
    try:
        with connect(f"{stream_url}?last_seq=0", additional_headers=keys.header("viewer")) as ws:
            assert json.loads(ws.recv(timeout=5))["type"] == "welcome"
            refusal = json.loads(ws.recv(timeout=5))
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=5)
    finally:
        heavy.give_back()
        heavy.give_back()
    assert refusal["detail"].startswith("2 expensive reads (backtests, exports over 24 h")
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4429
    with stream(f"{stream_url}?last_seq=0", **keys.header("viewer")) as ws:
        assert len(alerts_received(ws)) == 3, "with a slot free, the replay runs"
    assert heavy.running == 0, "its slot given back"


def test_an_anonymous_replay_of_the_history_is_refused(stream_url: str, pusher: Any) -> None:
    """A page or a stranger on this machine sees live events at most; what
    happened before (comments, who acted) takes a key."""
    pusher("a", cpu_usage=99)
    with connect(f"{stream_url}?last_seq=0", open_timeout=5) as ws:
        refusal = json.loads(ws.recv(timeout=5))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
    assert refusal["type"] == "error" and "needs an API key" in refusal["detail"]
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    with stream(stream_url) as ws:
        reply = send(ws, {"type": "resume", "last_seq": 0})
        assert reply["type"] == "error" and "needs an API key" in reply["detail"]
        assert alerts_received(ws) == []


def test_unknown_messages_get_an_error_and_the_stream_goes_on(stream_url: str) -> None:
    with stream(stream_url) as ws:
        assert send(ws, {"type": "dance"})["type"] == "error"
        assert send(ws, {"type": "filter", "levels": ["loud"]})["detail"].startswith(
            "unknown alert level 'loud'"
        )
        ws.send("not json")
        assert json.loads(ws.recv(timeout=5))["detail"] == "messages must be JSON"
        assert send(ws, {"type": "ping"}) == {"type": "pong"}


@pytest.mark.expect_log_warnings
def test_a_client_flooding_messages_is_closed_and_told_how_to_resume(stream_url: str) -> None:
    ping = json.dumps({"type": "ping"})
    with stream(stream_url) as ws:
        for _ in range(20):
            ws.send(ping)
        served = [json.loads(ws.recv(timeout=5)) for _ in range(20)]
        assert served == [{"type": "pong"}] * 20, "the default burst of 20 is served"
        for _ in range(5):  # over: the burst is spent, and little has come back since
            try:
                ws.send(ping)
            except ConnectionClosed:
                break  # closed already at the first over the limit (CI saw a send race it)
        replies = []
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                replies.append(json.loads(ws.recv(timeout=5)))
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4429
    assert replies[-1]["detail"] == (
        "more than 20 messages a second (api.stream_messages_per_second); "
        "reconnect with last_seq=0 to miss nothing"
    )
    with stream(stream_url) as again:
        assert send(again, {"type": "ping"}) == {"type": "pong"}, "others are not affected"


def test_subscriptions_are_bounded() -> None:
    client = StreamClient(Principal("many", Role.VIEWER))
    client.plugins.update(f"p{n}" for n in range(MAX_SUBSCRIPTIONS))
    refused = AlertHub._handle({"type": "subscribe", "plugin_id": "one-more"}, client)
    assert refused["detail"].startswith(f"at most {MAX_SUBSCRIPTIONS} plugins a connection")
    assert "one-more" not in client.plugins


def test_key_only_streams_take_a_first_auth_message(tmp_path: Path) -> None:
    monitor = start_api_monitor(tmp_path / "d", anonymous_loopback_reads=False)
    try:
        _key, token = ApiKeyStore(monitor.database).create(name="v", role=Role.VIEWER)
        assert monitor.api is not None
        url = f"ws://127.0.0.1:{monitor.api.ports['WebSocket stream']}/"
        with connect(url, open_timeout=5) as ws:
            ws.send(json.dumps({"type": "auth", "token": token}))
            assert json.loads(ws.recv(timeout=5))["role"] == "viewer"
        with connect(url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
            assert json.loads(ws.recv(timeout=5))["type"] == "welcome"
        with connect(url, open_timeout=5) as ws:
            ws.send(json.dumps({"type": "auth", "token": "pm_00000000_" + "x" * 43}))
            assert json.loads(ws.recv(timeout=5))["detail"] == "unknown, revoked or expired API key"
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    finally:
        monitor.stop()


def test_a_revoked_key_in_the_header_is_refused(stream_url: str, keys: Keys) -> None:
    with connect(stream_url, additional_headers=keys.header("revoked")) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "error"
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)


def test_a_client_that_cannot_keep_up_is_cut_off_without_blocking() -> None:
    client = StreamClient(Principal("slow", Role.VIEWER))
    alert = Alert(1, "a", "cpu", AlertLevel.WARNING, AlertStatus.ACTIVE, "m", 1.0, 1.0, 0.0, 0.0)
    started = time.perf_counter()
    for seq in range(1, 5001):
        client.offer(AlertEvent(seq, AlertEventKind.RAISED, alert, 0.0, True), "{}")
    assert time.perf_counter() - started < 1.0, "offering never waits"
    assert client.overflowed
    assert client.queue.qsize() <= QUEUE_SIZE
