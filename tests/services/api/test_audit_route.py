"""GET /api/audit: admin only, filtered and paged like the alert history; a
refused attempt on an admin route leaves its row."""

from __future__ import annotations

import httpx

from desktop_app.services.runtime import PluginMonitor
from tests.helpers import wait_until
from tests.services.api.conftest import Keys


def test_only_an_admin_reads_the_audit_trail(client: httpx.Client, keys: Keys) -> None:
    assert client.get("/api/audit").status_code == 403, "an anonymous loopback reader is a viewer"
    for role in ("viewer", "operator"):
        assert client.get("/api/audit", headers=keys.header(role)).status_code == 403
    assert client.get("/api/audit", headers=keys.header("admin")).status_code == 200


def test_actions_through_the_api_name_the_key_and_address_and_pages_follow(
    api_monitor: PluginMonitor, client: httpx.Client, keys: Keys
) -> None:
    admin = keys.header("admin")
    for interval in (10, 20, 30):
        changed = client.put(
            "/api/system/settings", json={"collection.interval": interval}, headers=admin
        )
        assert changed.status_code == 200, changed.text
    first = client.get("/api/audit", params={"action": "setting", "limit": 2}, headers=admin)
    page = first.json()
    assert [e["new_value"] for e in page["entries"]] == ["30.0", "20.0"]
    assert page["entries"][0]["actor"].startswith("admin (key ")
    assert page["entries"][0]["actor"].endswith(") from 127.0.0.1")
    rest = client.get(
        "/api/audit",
        params={"action": "setting.set", "limit": 2, "cursor": page["next_cursor"]},
        headers=admin,
    ).json()
    assert [e["new_value"] for e in rest["entries"]] == ["10.0"] and rest["next_cursor"] is None
    keys_only = client.get("/api/audit", params={"action": "key"}, headers=admin).json()
    assert {e["action"] for e in keys_only["entries"]} == {"key.create", "key.revoke"}

    def actors(part: str) -> set[str]:
        found = client.get("/api/audit", params={"actor": part}, headers=admin).json()
        return {e["actor"] for e in found["entries"]}

    (through_api,) = actors("from 127.0.0.1")
    assert actors("ADMIN (KEY") == {through_api}, "any part, in any case"
    assert actors("%") == actors("_") == set(), "wildcards are plain characters"
    assert "system" in actors("system"), "the keys made before the start, by the fixture"


def test_bad_filters_are_422_naming_them(client: httpx.Client, keys: Keys) -> None:
    admin = keys.header("admin")
    for params, field in (
        ({"action": "key'; drop"}, "action"),
        ({"cursor": "99999999999999999999"}, "cursor"),
        ({"limit": 0}, "limit"),
        ({"since": "yesterday"}, "since"),
    ):
        refused = client.get("/api/audit", params=params, headers=admin)
        assert refused.status_code == 422, params
        assert field in refused.text


def test_a_refused_attempt_on_an_admin_route_is_recorded(
    api_monitor: PluginMonitor, client: httpx.Client, keys: Keys
) -> None:
    refused = client.put(
        "/api/system/settings", json={"collection.interval": 5}, headers=keys.header("operator")
    )
    assert refused.status_code == 403

    def recorded() -> bool:
        return any(
            e.action == "auth.forbidden" and e.target == "PUT /api/system/settings"
            for e in api_monitor.audit.entries(limit=10)
        )

    wait_until(recorded, what="the auth.forbidden row")
