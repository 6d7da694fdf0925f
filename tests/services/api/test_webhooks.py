"""Webhooks end to end: a real monitor, its API, a real receiver on loopback.
Each notified event arrives as Alertmanager's webhook payload (version 4);
silenced events never leave; URLs and header values stay secret."""

from __future__ import annotations

import hashlib
import hmac
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from desktop_app.services.runtime import PluginMonitor
from tests.services.webhooks.receiver import receiving

HOOKS = "/api/advanced-monitoring/webhooks"
PUSH = "/api/advanced-monitoring/update-metrics"


def push(
    admin: httpx.Client, monitor: PluginMonitor, plugin: str = "app", **metrics: float
) -> None:
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": plugin})
    answer = admin.post(PUSH, json={"plugin_id": plugin, "metrics": metrics})
    assert answer.status_code == 200, answer.text
    monitor.engine.flush().result(10)


def test_firing_and_resolved_payloads_parse_as_alertmanager_and_are_signed(
    admin: httpx.Client, api_monitor: PluginMonitor, data_dir: Path
) -> None:
    with receiving() as receiver:
        made = admin.post(
            HOOKS,
            json={
                "url": receiver.url,
                "min_level": "warning",
                "headers": {"Authorization": "Bearer hook-token"},
                "hmac": True,
            },
        )
        assert made.status_code == 201, made.text
        webhook = made.json()
        secret = webhook["hmac_secret"]
        assert webhook["url"].endswith("/…") and "secret-token" not in webhook["url"]
        assert webhook["header_names"] == ["Authorization"] and webhook["signed"] is True
        api_monitor.webhook_delivery.refresh_now()
        push(admin, api_monitor, cpu_usage=99)
        push(admin, api_monitor, cpu_usage=50)
        firing, resolved = receiver.wait_for(2)
        for delivery in (firing, resolved):
            expected = hmac.new(secret.encode(), delivery.body, hashlib.sha256).hexdigest()
            assert delivery.headers["X-Plugin-Monitor-Signature-256"] == f"sha256={expected}"
            assert delivery.headers["Authorization"] == "Bearer hook-token"
            assert delivery.path == "/hook/secret-token"
        raised, ended = firing.message, resolved.message
        assert (raised.status, ended.status) == ("firing", "resolved")
        (alert,) = raised.alerts
        assert alert.labels == {"alertname": "cpu", "plugin": "app", "severity": "critical"}
        assert alert.annotations["summary"].startswith("CPU usage 99 % is at or above")
        assert alert.endsAt.year == 1, "Alertmanager's 'not ended'"
        (cleared,) = ended.alerts
        assert cleared.annotations["summary"].startswith("CPU usage back to 50 %")
        assert cleared.fingerprint == alert.fingerprint
        assert cleared.endsAt >= cleared.startsAt
        assert raised.externalURL.startswith("http://127.0.0.1:")
        listed = admin.get(HOOKS).json()
        assert [w["id"] for w in listed] == [webhook["id"]] and listed[0]["hmac_secret"] is None
    stored = [api_monitor.paths.settings_file, *(data_dir / "logs").glob("*.log")]
    for file in stored:
        text = file.read_text(encoding="utf-8")
        assert "secret-token" not in text and "hook-token" not in text, file


def test_a_silenced_alert_reaches_no_webhook_and_korean_is_used_when_set(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    api_monitor.settings_service.apply({"alerts.language": "ko"}, actor="test")
    with receiving() as receiver:
        assert admin.post(HOOKS, json={"url": receiver.url}).status_code == 201
        api_monitor.webhook_delivery.refresh_now()
        admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "quiet"})
        admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "loud"})
        silence = {"plugin_id": "quiet", "duration_minutes": 30, "comment": "maintenance"}
        assert admin.post("/api/advanced-monitoring/silences", json=silence).status_code == 201
        push(admin, api_monitor, "quiet", cpu_usage=99)  # silenced: recorded only
        push(admin, api_monitor, "loud", memory_usage=90)
        (delivery,) = receiver.wait_for(1)
        time.sleep(0.3)
        assert len(receiver.received) == 1, "the silenced alert was not sent"
        (alert,) = delivery.message.alerts
        assert alert.labels["plugin"] == "loud"
        assert alert.annotations["summary"] == "메모리 사용률 90 %: 경고 기준 85 % 이상"
        assert {a.plugin_key for a in api_monitor.engine.open_alerts()} == {"quiet", "loud"}
        listed = admin.get("/api/advanced-monitoring/alerts").json()["alerts"]
        assert {a["message"] for a in listed} >= {"메모리 사용률 90 %: 경고 기준 85 % 이상"}
        assert {(a["plugin_id"], a["unit"]) for a in listed} == {("quiet", "%"), ("loud", "%")}


def test_a_webhook_below_its_level_is_not_told_but_a_told_alert_is_followed_to_its_end(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    with receiving() as receiver:
        added = admin.post(HOOKS, json={"url": receiver.url, "min_level": "critical"})
        assert added.status_code == 201
        api_monitor.webhook_delivery.refresh_now()
        push(admin, api_monitor, memory_usage=90)  # a warning: not for this webhook
        push(admin, api_monitor, cpu_usage=99)  # critical
        push(admin, api_monitor, cpu_usage=85)  # down to warning (not a notification)
        push(admin, api_monitor, cpu_usage=10)  # resolved: told, as the critical it knew
        received = receiver.wait_for(2)
        time.sleep(0.3)
        shown = [
            (m.alerts[0].labels["alertname"], m.alerts[0].labels["severity"], m.status)
            for m in receiver.messages()
        ]
        assert shown == [("cpu", "critical", "firing"), ("cpu", "critical", "resolved")]
        assert len(received) == 2


def test_webhooks_are_for_admins_and_a_bad_one_is_refused_with_the_field(
    client: httpx.Client, keys: object, admin: httpx.Client
) -> None:
    operator = {"Authorization": f"Bearer {keys.operator}"}  # type: ignore[attr-defined]
    assert client.get(HOOKS, headers=operator).status_code == 403
    for body, field in (
        ({"url": "ftp://example.com/x"}, "URL must start with https://"),
        ({"url": "https://example.com/x", "min_level": "loud"}, "min_level"),
        ({"url": "https://example.com/x", "headers": {"Host": "evil"}}, "cannot be set"),
        ({"url": "https://example.com/x", "surprise": 1}, "surprise"),
    ):
        answer = admin.post(HOOKS, json=body)
        assert answer.status_code == 422, answer.text
        assert field in answer.text
    assert admin.delete(f"{HOOKS}/99").status_code == 404
    assert admin.post(f"{HOOKS}/99/test").status_code == 404


def test_the_test_button_says_whether_the_receiver_took_it(admin: httpx.Client) -> None:
    with receiving() as receiver:
        made = admin.post(HOOKS, json={"url": receiver.url}).json()
        answer = admin.post(f"{HOOKS}/{made['id']}/test").json()
        assert answer == {"delivered": True, "detail": "delivered"}
        (delivery,) = receiver.wait_for(1)
        assert delivery.message.alerts[0].labels["alertname"] == "webhook_test"
        receiver.answers.append(404)
        answer = admin.post(f"{HOOKS}/{made['id']}/test").json()
        assert answer == {"delivered": False, "detail": "HTTP 404 Not Found"}
    removed = admin.delete(f"{HOOKS}/{made['id']}")
    assert removed.status_code == 200 and admin.get(HOOKS).json() == []


@pytest.mark.timeout(60)
def test_a_webhook_added_by_the_command_line_beside_a_running_monitor_is_used(
    admin: httpx.Client, api_monitor: PluginMonitor, data_dir: Path
) -> None:
    with receiving() as receiver:
        added = subprocess.run(
            [
                sys.executable,
                "-m",
                "desktop_app",
                "webhooks",
                "add",
                receiver.url,
                "--header",
                "X-Team:ops",
                "--data-dir",
                str(data_dir),
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert added.returncode == 0, added.stderr
        assert "secret-token" not in added.stdout and "/…" in added.stdout
        deadline, plugins = time.monotonic() + 10, 0
        while not receiver.received and time.monotonic() < deadline:
            plugins += 1  # a new alert each time, until the monitor has taken it up
            push(admin, api_monitor, f"p{plugins}", cpu_usage=99)
            time.sleep(0.5)
        (first, *_rest) = receiver.wait_for(1)
        assert first.headers["X-Team"] == "ops"
        health = api_monitor.health().worker("webhooks")
        assert health is not None and health.details["webhooks"] == 1
