"""A key's last use: recorded through the writer, at once for its first use,
then at most once a minute, never moved back; a store without the writer
(the command line) records none."""

from __future__ import annotations

import time

from desktop_app.models.auth import Role
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.runtime import PluginMonitor
from desktop_app.services.storage.keys import record_uses


def stored_use(monitor: PluginMonitor, store: ApiKeyStore, key_id: int) -> float | None:
    monitor.writer.run_job(lambda _conn: None).result(10)  # what was handed over is written
    return store.get(key_id).last_used_at


def test_a_keys_last_use_is_recorded_through_the_writer(monitor: PluginMonitor) -> None:
    store = ApiKeyStore(monitor.database, monitor.writer.run_job)
    key, token = store.create(name="grafana", role=Role.VIEWER)
    assert key.last_used_at is None
    before = time.time()
    assert store.verify(token) is not None
    first = stored_use(monitor, store, key.id)
    assert first is not None and before - 1 <= first <= time.time() + 1, "the first use at once"
    time.sleep(0.05)
    assert store.verify(token) is not None
    assert stored_use(monitor, store, key.id) == first, "later uses wait for the minute"
    store.write_uses()
    later = stored_use(monitor, store, key.id)
    assert later is not None and later > first
    assert store.verify("pm_00000000_" + "x" * 40) is None
    offline = ApiKeyStore(monitor.database)  # the command line's store
    assert offline.verify(token) is not None
    offline.write_uses()
    assert stored_use(monitor, store, key.id) == later


def test_a_late_write_never_moves_the_last_use_back(monitor: PluginMonitor) -> None:
    store = ApiKeyStore(monitor.database, monitor.writer.run_job)
    key, _token = store.create(name="ci", role=Role.OPERATOR)
    now = time.time()
    monitor.writer.run_job(lambda conn: record_uses(conn, {key.id: (now, "127.0.0.1")})).result(10)
    monitor.writer.run_job(
        lambda conn: record_uses(conn, {key.id: (now - 60, "127.0.0.2")})
    ).result(10)
    assert abs((store.get(key.id).last_used_at or 0) - now) < 0.001
