"""`GET /metrics`: what a Prometheus server scrapes. Checked by the real
`promtool`, scraped by a real Prometheus, and read by the Grafana dashboard
in docs/grafana."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from desktop_app.models.samples import Sample
from desktop_app.services.runtime import PluginMonitor
from tests.cli.test_follow import free_port
from tests.helpers import push, require_tools, wait_until

ROOT = Path(__file__).resolve().parents[3]
DASHBOARD = ROOT / "docs" / "grafana" / "plugin-monitor.json"


Scraped = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(base_url: str) -> Scraped:
    answer = httpx.get(f"{base_url}/metrics")  # anonymous, from loopback
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(
    scraped: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return scraped[(name, tuple(sorted(labels.items())))]


def pushes(monitor: PluginMonitor, *samples: Sample) -> None:
    monitor.ingest(list(samples)).result(10)
    monitor.engine.flush().result(10)


@pytest.fixture
def pushed(api_monitor: PluginMonitor) -> PluginMonitor:
    push(api_monitor, "app", cpu_percent=1.0)  # registers it
    now = time.time()
    pushes(
        api_monitor,
        Sample(
            "app",
            now,
            cpu_percent=40.0,
            memory_rss=2_000_000.0,
            response_time=0.25,
            error_count=3.0,
            request_count=100.0,
        ),
        Sample("app", now - 60, cpu_percent=90.0, error_count=7.0),  # late: old news
        Sample("app", now, cpu_percent=40.0, error_count=3.0),  # a retried push
        Sample("app", now + 1, error_count=2.0, request_count=50.0, memory_percent=30.0),
    )
    return api_monitor


def test_metrics_give_each_plugins_newest_values_in_base_units(
    pushed: PluginMonitor, base_url: str
) -> None:
    scraped = scrape(base_url)
    assert value(scraped, "plugin_monitor_cpu_ratio", plugin="app") == pytest.approx(0.40)
    assert value(scraped, "plugin_monitor_memory_ratio", plugin="app") == pytest.approx(0.30)
    assert value(scraped, "plugin_monitor_memory_rss_bytes", plugin="app") == 2_000_000
    assert value(scraped, "plugin_monitor_response_time_seconds", plugin="app") == 0.25
    assert value(scraped, "plugin_monitor_error_count_total", plugin="app") == 5, (
        "each sample time counted once: the late one and the retry add nothing"
    )
    assert value(scraped, "plugin_monitor_request_count_total", plugin="app") == 150
    assert value(scraped, "plugin_monitor_samples_committed_total") >= 5
    assert value(scraped, "plugin_monitor_writer_queue") >= 0
    assert value(scraped, "plugin_monitor_commit_seconds_count") >= 1
    assert value(scraped, "plugin_monitor_open_alerts", level="critical") == 0


def test_open_alerts_are_counted_by_level(pushed: PluginMonitor, base_url: str) -> None:
    pushes(pushed, Sample("app", time.time() + 5, cpu_percent=99.0))
    scraped = scrape(base_url)
    assert value(scraped, "plugin_monitor_open_alerts", level="critical") == 1
    assert value(scraped, "plugin_monitor_cpu_ratio", plugin="app") == pytest.approx(0.99)


def test_promtool_accepts_the_output(pushed: PluginMonitor, base_url: str) -> None:
    require_tools("promtool")
    text = httpx.get(f"{base_url}/metrics").text
    checked = subprocess.run(
        ["promtool", "check", "metrics"], input=text, capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.fixture
def prometheus(pushed: PluginMonitor, base_url: str, tmp_path: Path) -> Iterator[str]:
    """A real Prometheus scraping the monitor every second."""
    require_tools("prometheus")
    target = base_url.removeprefix("http://")
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n"
        "scrape_configs:\n  - job_name: plugin-monitor\n"
        f"    static_configs:\n      - targets: ['{target}']\n"
    )
    listen = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [
            "prometheus",
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address={listen}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://{listen}"
    finally:
        server.terminate()
        server.wait(30)


def test_a_real_prometheus_scrapes_a_pushed_value(prometheus: str) -> None:
    def cpu() -> float | None:
        try:
            answer = httpx.get(
                f"{prometheus}/api/v1/query",
                params={"query": 'plugin_monitor_cpu_ratio{plugin="app"}'},
            )
        except httpx.HTTPError:
            return None  # not listening yet
        if answer.status_code == 503:
            return None  # listening, its storage not ready yet ("Service Unavailable")
        result = answer.json().get("data", {}).get("result", [])
        return float(result[0]["value"][1]) if result else None

    wait_until(lambda: cpu() is not None, seconds=30, what="Prometheus to scrape the monitor")
    assert cpu() == pytest.approx(0.40)


def test_the_grafana_dashboard_reads_only_metrics_the_monitor_gives(
    pushed: PluginMonitor, base_url: str
) -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    queries = [
        target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])
    ] + [v["query"] for v in dashboard["templating"]["list"] if v["type"] == "query"]
    named = {
        name.removesuffix("_bucket")
        for query in queries
        for name in re.findall(r"\b(plugin_monitor_[a-z0-9_]+)", query)
    }
    families = {
        family.name
        for family in text_string_to_metric_families(httpx.get(f"{base_url}/metrics").text)
    }
    exposed = families | {f"{name}_total" for name in families}
    assert named and named <= exposed, named - exposed
    assert {"plugin_monitor_cpu_ratio", "plugin_monitor_open_alerts"} <= named
