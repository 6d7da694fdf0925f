"""The abuse watch and the key cache stay bounded, whatever an attacker sends."""

from __future__ import annotations

import pytest

from desktop_app.config import SecuritySettings
from desktop_app.models.samples import Sample
from desktop_app.services.auth.abuse import CLIENT_MEMORY, AbuseWatch
from desktop_app.services.auth.keys import PREFIX_MEMORY, ApiKeyStore
from desktop_app.services.runtime import PluginMonitor


@pytest.mark.expect_log_warnings
def test_a_flood_of_distinct_clients_is_remembered_within_bounds(monitor: PluginMonitor) -> None:
    told: list[Sample] = []
    watch = AbuseWatch(SecuritySettings(auth_failure_limit=2), told.extend, list, monitor.audit)
    for n in range(3 * CLIENT_MEMORY):
        client = f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"
        watch.failed(client, "a token that is not an API key", "/api/status")
        watch.failed(client, "a token that is not an API key", "/api/status")
    assert watch.clients_remembered <= 2 * CLIENT_MEMORY
    assert watch.lockout_left("10.0.0.0") == 0.0, "the oldest lockouts are forgotten first"
    assert watch.lockout_left(client) > 0


@pytest.mark.expect_log_warnings
def test_one_client_is_locked_out_at_its_limit_and_not_before(monitor: PluginMonitor) -> None:
    watch = AbuseWatch(SecuritySettings(auth_failure_limit=3), list, list, monitor.audit)
    for _ in range(2):
        watch.failed("127.0.0.2", "the API key pm_0badc0de_…", "/api/status")
    assert watch.lockout_left("127.0.0.2") == 0.0
    watch.failed("127.0.0.2", "the API key pm_0badc0de_…", "/api/status")
    assert 299 < watch.lockout_left("127.0.0.2") <= 300
    assert watch.lockout_left("127.0.0.3") == 0.0


def test_invented_key_prefixes_are_remembered_within_bounds(monitor: PluginMonitor) -> None:
    store = ApiKeyStore(monitor.database)
    for n in range(PREFIX_MEMORY * 2 + 10):
        assert store.verify(f"pm_{n:08x}_" + "x" * 43) is None
    assert store.prefixes_remembered <= PREFIX_MEMORY
