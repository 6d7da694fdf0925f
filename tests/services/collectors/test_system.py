"""The host collector with real psutil."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from desktop_app.services.collectors.system import SYSTEM_PLUGIN_KEY, SystemCollector


def test_a_sample_holds_plausible_host_metrics(tmp_path: Path) -> None:
    collector = SystemCollector(tmp_path)
    (sample,) = collector.collect(123.0)
    assert sample.plugin_key == SYSTEM_PLUGIN_KEY and sample.ts == 123.0
    assert sample.memory_percent is not None and 0 < sample.memory_percent <= 100
    assert sample.memory_rss is not None and sample.memory_rss > 0
    assert 0 <= sample.extras["data_disk_percent"] <= 100
    assert "swap_percent" in sample.extras
    for name in ("disk_read_bytes", "disk_write_bytes", "net_recv_bytes", "net_sent_bytes"):
        value = getattr(sample, name)
        assert value is None or value >= 0


def test_cpu_use_shows_up(tmp_path: Path) -> None:
    collector = SystemCollector(tmp_path)
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        (sample,) = collector.collect(1.0)
    finally:
        burner.kill()
        burner.wait()
    assert sample.cpu_percent is not None and sample.cpu_percent > 10


def test_the_first_reading_in_the_collectors_own_thread_is_real(tmp_path: Path) -> None:
    """Made in one thread and read in another, as the scheduler does: psutil 7
    keeps `cpu_percent`'s baseline per thread, and that first reading said 0 %."""
    import threading

    collector = SystemCollector(tmp_path)
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    found: list[float | None] = []
    try:
        time.sleep(0.6)
        reader = threading.Thread(
            target=lambda: found.append(collector.collect(1.0)[0].cpu_percent)
        )
        reader.start()
        reader.join()
    finally:
        burner.kill()
        burner.wait()
    assert found[0] is not None and found[0] > 10
