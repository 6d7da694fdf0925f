"""The forwarder against a real central monitor (its API on a free port):
a batch the centre refuses is dropped and said, not retried for ever; a full
outbox drops its oldest and says so; nothing is lost while the centre is
away."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desktop_app.client import Monitor
from desktop_app.models.auth import Role
from desktop_app.models.problems import Problem
from desktop_app.models.samples import Sample
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.events import EventBus
from desktop_app.services.forwarding import Forwarder
from desktop_app.services.runtime import PluginMonitor
from desktop_app.services.storage.forward_buffer import ForwardBuffer
from desktop_app.services.workers import deadline_in
from tests.cli.test_follow import free_port
from tests.helpers import stored_rows, wait_until
from tests.services.api.conftest import Keys, start_api_monitor


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _forwarder(
    tmp_path: Path, url: str, key: str, buffer_bytes: int = 10**9
) -> tuple[Forwarder, list[Problem]]:
    """A forwarder for `web01`, and the problems it reports."""
    problems: EventBus[Problem] = EventBus()
    said: list[Problem] = []
    problems.subscribe(said.append)
    forwarder = Forwarder(
        target=Monitor(url, key),
        buffer=ForwardBuffer(_folder(tmp_path) / "forward-buffer.db"),
        host="web01",
        buffer_bytes=buffer_bytes,
        problems=problems,
    )
    return forwarder, said


@pytest.mark.expect_log_warnings
def test_a_refused_batch_is_dropped_and_said_and_the_next_goes_through(
    tmp_path: Path, api_monitor: PluginMonitor, keys: Keys, base_url: str
) -> None:
    forwarder, said = _forwarder(tmp_path, base_url, keys.operator)
    forwarder.start()
    try:
        ahead = time.time() + 86_400  # a clock a day ahead of the centre's
        forwarder.note([Sample("app", ahead + i, cpu_percent=1.0) for i in range(3)])
        wait_until(lambda: forwarder.stats.refused == 3, 10, "the batch refused")
        forwarder.note([Sample("app", time.time() - 10, cpu_percent=5.0)])
        wait_until(lambda: forwarder.stats.forwarded == 1, 10, "the next one forwarded")
    finally:
        assert forwarder.stop(deadline_in(15))
        forwarder.target.close()
    (problem,) = said
    assert problem.source == "forwarding" and "refused 3 samples of app" in problem.message
    assert "ahead" in problem.message
    rows = stored_rows(
        api_monitor, "SELECT count(*) FROM samples_readable WHERE plugin = 'web01.app'"
    )
    assert rows == [(1,)]


@pytest.mark.expect_log_warnings
def test_a_full_outbox_drops_its_oldest_and_says_so(tmp_path: Path) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    forwarder, said = _forwarder(tmp_path, nowhere, "any", buffer_bytes=64 * 1024)
    forwarder.start()
    try:
        for block in range(20):
            forwarder.note(
                [
                    Sample("app", 1_700_000_000.0 + block * 100 + i, cpu_percent=1.0)
                    for i in range(100)
                ]
            )
        wait_until(lambda: forwarder.stats.dropped_full > 0, 10, "the oldest dropped")
        waiting = forwarder.buffer.count()
    finally:
        assert forwarder.stop(deadline_in(15))
        forwarder.target.close()
    assert waiting + forwarder.stats.dropped_full <= 2000 and waiting < 2000
    assert any("oldest samples were dropped" in problem.message for problem in said)
    reopened = ForwardBuffer(tmp_path / "forward-buffer.db")
    oldest = reopened.oldest(1)
    reopened.close()
    assert oldest and oldest[0][2] > 1_700_000_000.0, "the oldest went first"


@pytest.mark.expect_log_warnings
def test_a_batch_over_the_body_limit_goes_in_halves_and_a_refused_key_loses_nothing(
    tmp_path: Path,
) -> None:
    centre = start_api_monitor(tmp_path / "centre", max_body_bytes=8192)
    try:
        _key, token = ApiKeyStore(centre.database).create(name="agent", role=Role.OPERATOR)
        assert centre.api is not None
        url = f"http://127.0.0.1:{centre.api.ports['API']}"
        wrong, said = _forwarder(tmp_path / "wrong", url, "pm_00000000_" + "x" * 43)
        right, _ = _forwarder(tmp_path / "right", url, token)
        start = time.time() - 600
        samples = [Sample("app", start + i, cpu_percent=float(i % 90)) for i in range(600)]
        for forwarder in (wrong, right):
            forwarder.start()
            forwarder.note(samples)
        wait_until(lambda: right.stats.forwarded == 600, 20, "all 600 sent in smaller batches")
        wait_until(lambda: wrong.stats.last_error is not None, 10, "the wrong key tried")
    finally:
        for forwarder in (wrong, right):
            assert forwarder.stop(deadline_in(15))
            forwarder.target.close()
        stored = stored_rows(
            centre, "SELECT count(*) FROM samples_readable WHERE plugin = 'web01.app'"
        )
        centre.stop()
    assert stored == [(600,)] and right.stats.refused == 0
    assert wrong.stats.refused == 0 and wrong.stats.forwarded == 0, "kept until the key is fixed"
    assert ForwardBuffer(tmp_path / "wrong" / "forward-buffer.db").count() == 600
    assert not said
