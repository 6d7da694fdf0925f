"""The columnar push: one plugin's samples as a list per metric, stored whole
or refused whole with the field that is wrong, evaluated in bulk."""

from __future__ import annotations

import time

import httpx
import pytest

from desktop_app.services.runtime import PluginMonitor
from tests.helpers import EventRecorder, stored_rows

COLUMNS = "/api/advanced-monitoring/update-metrics/columns"
START = 1_770_000_000.0


@pytest.fixture(autouse=True)
def registered(admin: httpx.Client) -> None:
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})


def _count(monitor: PluginMonitor) -> int:
    return stored_rows(monitor, "SELECT count(*) FROM samples_readable WHERE plugin = 'app'")[0][0]


def test_columns_are_stored_as_samples_with_their_gaps(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    body = {
        "plugin_id": "app",
        "timestamps": [START, START + 1, "2026-03-01T00:00:00Z"],
        "metrics": {
            "cpu_usage": [45.2, None, 12.0],
            "memory_usage": [67.8, 60.0, None],
            "error_count": [3, 0, 1],
            "failed": [False, True, False],
            "custom": {"queue_depth": [7, None, 9]},
        },
    }
    answer = admin.post(COLUMNS, json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "status": "stored",
        "plugin_id": "app",
        "samples": 3,
        "timestamp": None,
    }
    rows = stored_rows(
        api_monitor,
        "SELECT cpu_percent, memory_percent, error_count, failed FROM samples_readable "
        "WHERE plugin = 'app' ORDER BY time_utc",
    )
    assert [(cpu, memory, errors, bool(failed)) for cpu, memory, errors, failed in rows] == [
        (45.2, 67.8, 3.0, False),
        (None, 60.0, 0.0, True),
        (12.0, None, 1.0, False),
    ]
    assert stored_rows(
        api_monitor, "SELECT value FROM sample_extras WHERE name = 'queue_depth' ORDER BY ts"
    ) == [(7.0,), (9.0,)]


def test_a_retried_block_merges_into_what_is_stored(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    """Agents retry after a lost answer: the same block again stores nothing twice,
    and a block of other metrics for the same moments keeps the first one's."""
    first = {"plugin_id": "app", "timestamps": [START, START + 1], "metrics": {"cpu_usage": [1, 2]}}
    for body in (first, first):
        assert admin.post(COLUMNS, json=body).status_code == 200
    other = {**first, "metrics": {"memory_usage": [10, 20]}}
    assert admin.post(COLUMNS, json=other).status_code == 200
    assert stored_rows(
        api_monitor,
        "SELECT cpu_percent, memory_percent FROM samples_readable WHERE plugin = 'app' "
        "ORDER BY time_utc",
    ) == [(1.0, 10.0), (2.0, 20.0)]


@pytest.mark.parametrize(
    ("metrics", "timestamps", "field", "problem"),
    [
        ({"cpu_usage": [1, 2, 3]}, [START, START + 1], "metrics.cpu_usage", "has 3 values"),
        ({"custom": {"depth": [1]}}, [START, START + 1], "metrics.custom.depth", "has 1 values"),
        ({"cpu_usage": [1, "2"]}, [START, START + 1], "metrics.cpu_usage[1]", ""),
        ({"memory_usage": [1, 101]}, [START, START + 1], "metrics.memory_usage[1]", "100"),
        ({"cpu_usag": [1, 2]}, [START, START + 1], "metrics.cpu_usag", ""),
        ({"cpu_usage": [1, 2]}, [START, "yesterday"], "timestamps[1]", "ISO 8601"),
        ({"cpu_usage": [1, 2]}, [START, time.time() + 3600], "timestamps[1]", "ahead"),
    ],
)
def test_a_wrong_column_is_refused_whole_naming_its_field(
    admin: httpx.Client,
    api_monitor: PluginMonitor,
    metrics: dict[str, object],
    timestamps: list[object],
    *,
    field: str,
    problem: str,
) -> None:
    body = {"plugin_id": "app", "timestamps": timestamps, "metrics": metrics}
    answer = admin.post(COLUMNS, json=body)
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert any(e["field"] == field and problem in e["problem"] for e in errors), errors
    assert _count(api_monitor) == 0


def test_an_unknown_plugin_and_a_viewer_are_refused(
    admin: httpx.Client, client: httpx.Client, keys: object
) -> None:
    body = {"plugin_id": "nobody", "timestamps": [START], "metrics": {"cpu_usage": [1]}}
    assert admin.post(COLUMNS, json=body).status_code == 404
    client.headers["Authorization"] = f"Bearer {keys.viewer}"  # type: ignore[attr-defined]
    assert client.post(COLUMNS, json={**body, "plugin_id": "app"}).status_code == 403


def test_a_spike_inside_a_block_is_recorded_and_only_the_present_is_told(
    admin: httpx.Client, api_monitor: PluginMonitor
) -> None:
    """cpu 97 for two samples and back inside one block: the alert is in the
    history, raised and resolved, and nobody is told of it; a block that ends
    high tells its alert once."""
    recorder = EventRecorder()
    api_monitor.bus.subscribe(recorder)
    now = time.time() - 100
    spike = [10, 97, 97, 10, 10, 10]
    body = {
        "plugin_id": "app",
        "timestamps": [now + i for i in range(6)],
        "metrics": {"cpu_usage": spike},
    }
    assert admin.post(COLUMNS, json=body).status_code == 200
    api_monitor.engine.flush().result(10)
    assert [(kind, rule) for kind, rule, _ in recorder.kinds()] == [
        ("raised", "cpu"),
        ("resolved", "cpu"),
    ]
    assert not any(event.notify for event in recorder.events)
    ends_high = {
        **body,
        "timestamps": [now + 10 + i for i in range(3)],
        "metrics": {"cpu_usage": [10, 90, 97]},
    }
    assert admin.post(COLUMNS, json=ends_high).status_code == 200
    api_monitor.engine.flush().result(10)
    told = [(e.kind.value, e.alert.level.label) for e in recorder.events[2:] if e.notify]
    assert told == [("escalated", "critical")]
    alerts = admin.get("/api/advanced-monitoring/alerts").json()["alerts"]
    assert [(a["rule"], a["level"]) for a in alerts] == [("cpu", "critical")]
