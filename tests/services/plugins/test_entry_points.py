"""Plugins from installed distributions: a test distribution on sys.path
(a .dist-info with entry_points.txt), loaded by a monitor collecting every second."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.models.alerts import AlertFilter
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import NO_API, wait_until

PLUGINS = """
import time

class Good:
    plugin_id = "disk-cache"
    name = "Disk cache"
    def collect(self):
        return {"cpu_usage": 12.5, "response_time": 0.2, "hit_ratio": 0.93}

class Hangs:
    plugin_id = "hangs"
    name = "Hangs"
    def collect(self):
        time.sleep(2)

class Garbage:
    plugin_id = "garbage"
    name = "Garbage"
    def collect(self):
        return {"cpu_usage": "high"}

class Raises:
    plugin_id = "raises"
    name = "Raises"
    def collect(self):
        raise RuntimeError("the cache server is gone")
"""


@pytest.fixture
def distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = tmp_path / "site"
    info = site / "demo_plugins-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-plugins\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[plugin_monitor.plugins]\n"
        + "".join(
            f"{name} = demo_plugins:{name.title()}\n"
            for name in ("good", "hangs", "garbage", "raises")
        )
        + "broken = demo_plugins:Missing\n"
    )
    (site / "demo_plugins.py").write_text(PLUGINS)
    monkeypatch.syspath_prepend(str(site))
    return site


@pytest.fixture
def collecting(data_dir: Path, distribution: Path) -> Iterator[PluginMonitor]:
    monitor = PluginMonitor.open(data_dir, api=NO_API, interval=1)
    monitor.start()
    yield monitor
    monitor.stop()


@pytest.mark.expect_log_warnings
def test_entry_point_plugins_are_collected_and_bad_ones_disabled_with_an_alert(
    collecting: PluginMonitor,
) -> None:
    wait_until(lambda: collecting.registry.get("disk-cache") is not None, what="loaded")
    wait_until(lambda: collecting.registry.get("disk-cache").last_seen, what="a sample")  # type: ignore[union-attr]
    key_ids = {"disk-cache": collecting.registry.ids()["disk-cache"]}
    latest = collecting.samples.last_samples(key_ids)["disk-cache"]
    assert (latest.cpu_percent, latest.response_time) == (12.5, 0.2)
    assert latest.extras == {"hit_ratio": 0.93}
    for key in ("hangs", "garbage", "raises"):
        wait_until(lambda key=key: not collecting.registry.is_enabled(key), 10, f"{key} disabled")
    collecting.engine.flush().result(10)
    alerts = collecting.alerts.page(AlertFilter(open_only=True), limit=10)
    assert sorted((a.plugin_key, a.rule, a.level.label) for a in alerts) == [
        ("garbage", "collect_error", "error"),
        ("hangs", "collect_error", "error"),
        ("raises", "collect_error", "error"),
    ]
    assert collecting.registry.is_enabled("disk-cache")
