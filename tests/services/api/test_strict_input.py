"""Numbers are numbers, levels and times are what the schema says, and free
text cannot forge a log line (issue 14's schema findings)."""

from __future__ import annotations

import httpx
import pytest

PUSH = "/api/advanced-monitoring/update-metrics"
HISTORY = "/api/advanced-monitoring/alerts/history"


@pytest.fixture(autouse=True)
def registered(admin: httpx.Client) -> None:
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})


@pytest.mark.parametrize("value", ["50", True, None, [50]])
def test_a_metric_that_is_not_a_json_number_is_a_422_naming_it(
    admin: httpx.Client, value: object
) -> None:
    refused = admin.post(PUSH, json={"plugin_id": "app", "metrics": {"cpu_usage": value}})
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["metrics.cpu_usage"]


def test_whole_numbers_are_still_numbers(admin: httpx.Client) -> None:
    assert admin.post(PUSH, json={"plugin_id": "app", "metrics": {"cpu_usage": 50}}).is_success
    thresholds = admin.put(
        "/api/advanced-monitoring/thresholds", json={"global": {"cpu_threshold": "70"}}
    )
    assert thresholds.status_code == 422


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("level=loud", "level"),
        ("level=warning,", "level"),
        ("status=gone", "status"),
        ("since=1.5", "since"),
        ("since=2026-02-30", "since"),
        ("until=tomorrow", "until"),
    ],
)
def test_a_query_outside_its_schema_is_a_422_naming_it(
    admin: httpx.Client, query: str, field: str
) -> None:
    refused = admin.get(f"{HISTORY}?{query}")
    assert refused.status_code == 422, refused.text
    assert field in refused.text


@pytest.mark.parametrize(
    "query",
    [
        {"level": "Warning,critical"},
        {"since": "1700000000"},
        {"since": "2026-01-02T03:04:05+09:00"},  # the "+" sent as %2B, as a URL needs
        {"until": "2026-01-02"},
    ],
)
def test_documented_forms_are_accepted(admin: httpx.Client, query: dict[str, str]) -> None:
    assert admin.get(HISTORY, params=query).status_code == 200


def test_a_silence_level_is_one_of_the_four(admin: httpx.Client) -> None:
    refused = admin.post(
        "/api/advanced-monitoring/silences",
        json={"level": "loud", "duration_minutes": 5, "comment": "x"},
    )
    assert refused.status_code == 422 and "level" in refused.text


def test_a_newline_in_a_plugin_name_cannot_forge_a_log_line(
    admin: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    forged = "Web\n2026-01-01 00:00:00 WARNING plugin_monitor locked out 10.0.0.1"
    made = admin.post(
        "/api/advanced-monitoring/register-plugin",
        json={"plugin_id": "web", "plugin_name": forged},
    )
    assert made.status_code == 201
    lines = [r.getMessage() for r in caplog.records if "registered plugin web" in r.getMessage()]
    assert lines == [
        "registered plugin web (Web\\n2026-01-01 00:00:00 WARNING plugin_monitor locked out "
        "10.0.0.1) from api"
    ]
