"""Bad input gets a precise 4xx, never a 5xx or a traceback, and the server
keeps serving."""

from __future__ import annotations

import httpx
import pytest

from desktop_app.services.runtime import PluginMonitor

PUSH = "/api/advanced-monitoring/update-metrics"
BATCH = "/api/advanced-monitoring/update-metrics/batch"


@pytest.fixture(autouse=True)
def registered(admin: httpx.Client) -> None:
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})


def post_raw(client: httpx.Client, path: str, body: bytes) -> httpx.Response:
    return client.post(path, content=body, headers={"content-type": "application/json"})


@pytest.mark.parametrize(
    "body",
    [b"{", b"not json", b'{"plugin_id": "app",}', b"\xff\xfe", b""],
)
def test_malformed_json_is_400(admin: httpx.Client, body: bytes) -> None:
    response = post_raw(admin, PUSH, body)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("malformed JSON")


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        (
            {"plugin_id": "app", "metrics": {"cpu_usage": -1}},
            "metrics.cpu_usage",
            "greater than or equal to 0",
        ),
        (
            {"plugin_id": "app", "metrics": {"memory_usage": 101}},
            "metrics.memory_usage",
            "less than or equal to 100",
        ),
        (
            {"plugin_id": "app", "metrics": {"error_count": -3}},
            "metrics.error_count",
            "greater than or equal to 0",
        ),
        (
            {"plugin_id": "app", "metrics": {"cpu_usage": "high"}},
            "metrics.cpu_usage",
            "valid number",
        ),
        (
            {"plugin_id": "app", "metrics": {"cpu_usgae": 5}},
            "metrics.cpu_usgae",
            "Extra inputs are not permitted",
        ),
        ({"plugin_id": "app"}, "metrics", "Field required"),
        ({"plugin_id": "a b", "metrics": {}}, "plugin_id", "should match pattern"),
        (
            {"plugin_id": "app", "metrics": {"response_times": [0.1, -2]}},
            "metrics.response_times[1]",
            "greater than or equal to 0",
        ),
        ([1, 2], "body", "Input should be an object"),
        (
            {"plugin_id": "app", "metrics": {}, "timestamp": "0001-01-01T00:00:00+04:00"},
            "timestamp",
            "must be between 1970-01-02 and 2100-01-01",
        ),
        (
            {"plugin_id": "app", "metrics": {}, "timestamp": "yesterday"},
            "timestamp",
            "must be epoch seconds or an ISO 8601 time",
        ),
        (
            {"plugin_id": "app", "metrics": {}, "timestamp": 1e12},
            "timestamp",
            "must be between 1970-01-02 and 2100-01-01",
        ),
    ],
)
def test_wrong_fields_are_422_naming_each_field(
    admin: httpx.Client, body: object, field: str, problem: str
) -> None:
    response = admin.post(PUSH, json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert any(e["field"] == field and problem in e["problem"] for e in errors), errors


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity", b"1e999"])
def test_nan_and_infinity_are_refused(admin: httpx.Client, number: bytes) -> None:
    body = b'{"plugin_id": "app", "metrics": {"cpu_usage": ' + number + b"}}"
    response = post_raw(admin, PUSH, body)
    assert response.status_code in (400, 422), response.text
    assert response.status_code < 500


def test_a_body_over_the_limit_is_413_declared_or_chunked(admin: httpx.Client) -> None:
    huge = b'{"plugin_id": "app", "metrics": {}, "x": "' + b"a" * 2_000_000 + b'"}'
    assert post_raw(admin, PUSH, huge).status_code == 413

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"a" * 50_000

    chunked = admin.post(PUSH, content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413
    assert "larger than 1048576 bytes" in chunked.json()["detail"]


def test_unknown_plugins_are_404_unless_auto_registration(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    response = admin.post(PUSH, json={"plugin_id": "ghost", "metrics": {"cpu_usage": 1}})
    assert response.status_code == 404
    assert response.json()["detail"] == "unknown plugin 'ghost'; register it first"
    batch = admin.post(
        BATCH,
        json={
            "samples": [
                {"plugin_id": "app", "metrics": {"cpu_usage": 1}},
                {"plugin_id": "ghost", "metrics": {"cpu_usage": 1}},
            ]
        },
    )
    assert batch.status_code == 404
    window = admin.get("/api/advanced-monitoring/metrics/app").json()
    assert window["samples"] == [], "a refused batch stores nothing"


def test_bad_query_values_are_422(admin: httpx.Client) -> None:
    for path, field in [
        ("/api/advanced-monitoring/metrics/app?hours=0", "hours"),
        ("/api/advanced-monitoring/metrics/app?hours=2161", "hours"),
        ("/api/advanced-monitoring/metrics/app?hours=abc", "hours"),
        ("/api/advanced-monitoring/analytics/app?hours=2161", "hours"),
        ("/api/advanced-monitoring/trends/app?hours=0", "hours"),
        ("/api/advanced-monitoring/usage-patterns/app?days=91", "days"),
        ("/api/advanced-monitoring/export/app?format=xml", "format"),
        ("/api/advanced-monitoring/export/app?hours=0&format=csv", "hours"),
        ("/api/advanced-monitoring/alerts?level=loud", "level"),
        ("/api/advanced-monitoring/alerts?status=gone", "status"),
        ("/api/advanced-monitoring/alerts?cursor=-5", "cursor"),
        ("/api/advanced-monitoring/alerts?limit=0", "limit"),
        ("/api/advanced-monitoring/alerts?since=yesterday", "since"),
    ]:
        response = admin.get(path)
        assert response.status_code == 422, path
        assert response.json()["errors"][0]["field"] == field, path


def test_the_server_keeps_serving_after_bad_input(admin: httpx.Client) -> None:
    for body in (b"{", b"[]", b"null", b'{"plugin_id": 5}'):
        post_raw(admin, PUSH, body)
    good = admin.post(PUSH, json={"plugin_id": "app", "metrics": {"cpu_usage": 5}})
    assert good.status_code == 200
    assert good.json()["status"] == "stored"
