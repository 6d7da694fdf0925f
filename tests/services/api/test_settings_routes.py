"""GET and PUT /api/system/settings: admins only, dotted keys, restart_required."""

from __future__ import annotations

import httpx

from desktop_app.services.runtime import PluginMonitor
from tests.services.api.conftest import Keys

URL = "/api/system/settings"


def test_reading_settings_is_for_admins(client: httpx.Client, keys: Keys) -> None:
    anonymous = client.get(URL)
    assert anonymous.status_code == 403, "a loopback reader without a key is a viewer"
    assert "needs the admin role" in anonymous.json()["detail"]
    assert client.get(URL, headers=keys.header("operator")).status_code == 403
    assert client.put(URL, json={"collection.interval": 10}).status_code == 401
    body = client.get(URL, headers=keys.header("admin")).json()
    assert body["settings"]["collection.interval"] == 30.0
    assert body["settings"]["api.port"] == 0, "this run's --port 0, not the file's"
    assert "api.port" in body["applies_at_next_start"]
    assert "collection.interval" not in body["applies_at_next_start"]


def test_a_change_applies_live_and_says_what_waits_for_a_restart(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    answer = admin.put(URL, json={"collection.interval": 10, "alerts.throttle_seconds": 60})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["changed"] == {
        "collection.interval": {"old": 30.0, "new": 10.0},
        "alerts.throttle_seconds": {"old": 300.0, "new": 60.0},
    }
    assert body["restart_required"] == []
    assert api_monitor.scheduler.interval == 10.0
    host = admin.put(URL, json={"api.ws_port": 8799}).json()
    assert host["restart_required"] == ["api.ws_port"]
    actors = {e.actor for e in api_monitor.audit.entries() if e.action == "setting.set"}
    assert len(actors) == 1 and actors.pop().startswith("admin (key ")


def test_a_wrong_value_is_422_naming_the_key_and_nothing_changes(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    answer = admin.put(URL, json={"alerts.throttle_seconds": 60, "collection.interval": "fast"})
    assert answer.status_code == 422
    (error,) = answer.json()["errors"]
    assert error["field"] == "collection.interval"
    assert "is not allowed: a number from 1 to 3600" in error["problem"]
    assert admin.put(URL, json={"nope.x": 1}).json()["errors"][0]["field"] == "nope.x"
    json = {"Content-Type": "application/json"}
    assert admin.put(URL, content=b"[1]", headers=json).status_code == 422
    assert admin.put(URL, content=b"{", headers=json).status_code == 400
    assert api_monitor.engine.throttle.window_seconds == 300.0


def test_a_setting_for_the_next_start_compares_with_the_file_not_this_run(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    """This run listens on --port 0; the file says 5000. Saving 5000 again is no
    change (nothing audited), and the console's form shows the file's 5000."""
    assert api_monitor.settings_service.saved()["api.port"] == 5000
    unchanged = admin.put(URL, json={"api.port": 5000}).json()
    assert unchanged["changed"] == {} and unchanged["restart_required"] == []
    assert not [e for e in api_monitor.audit.entries() if e.target == "api.port"]
    moved = admin.put(URL, json={"api.port": 5050}).json()
    assert moved["changed"] == {"api.port": {"old": 5000, "new": 5050}}
    assert moved["restart_required"] == ["api.port"]
