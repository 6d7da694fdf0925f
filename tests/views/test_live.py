"""A console alive from its first second: the host drawn from the live view
within 2 s at a 30 s storage interval, and, after a restart, charts and
cards filled from what was stored."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.services.collectors.system import SYSTEM_PLUGIN_KEY
from desktop_app.services.runtime import PluginMonitor
from desktop_app.views.app import build_window
from tests.helpers import NO_API
from tests.views.conftest import Console


def test_the_host_chart_has_a_point_within_two_seconds_at_a_30_s_interval(
    console: Console, qtbot: QtBot
) -> None:
    monitor, dashboard = console.monitor, console.window.dashboard
    assert monitor.scheduler.interval == 30 and not monitor.monitoring
    qtbot.waitUntil(lambda: dashboard.host.cpu_chart.points >= 1, timeout=2000)
    assert dashboard.host.memory_chart.points >= 1
    assert dashboard.host.live, "drawn by the live view, not by a stored sample"
    qtbot.waitUntil(lambda: dashboard.host.cpu_chart.points >= 3, timeout=4000)  # every second
    chart = dashboard.host.cpu_chart
    qtbot.waitUntil(lambda: chart.viewRange()[0][1] - chart.viewRange()[0][0] >= 900, timeout=3000)
    # the last quarter hour from the first second: minute ticks, never milliseconds


def test_after_a_restart_charts_and_cards_start_from_what_was_stored(
    qapp: QApplication, qtbot: QtBot, data_dir: Path
) -> None:
    now = time.time()
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as first:
        first.start(monitoring=False)
        first.registry.register("billing", "Billing", PluginSource.API)
        stored = [
            Sample(SYSTEM_PLUGIN_KEY, now - 600 + 30 * n, cpu_percent=20.0 + n, memory_percent=50.0)
            for n in range(20)
        ]
        first.ingest([*stored, Sample("billing", now - 120, cpu_percent=42.0)]).result(10)
    (data_dir / "config" / "settings.toml").write_text(
        '[api]\nenabled = false\n[console]\nlanguage = "en"\n'
    )
    window, bridge, state = build_window(qapp, data_dir)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: "monitor" in state, timeout=15_000)
        state["monitor"].stop_monitoring()
        dashboard = window.dashboard
        qtbot.waitUntil(lambda: dashboard.host.cpu_chart.points >= 20, timeout=5000)
        qtbot.waitUntil(lambda: "billing" in dashboard.cards, timeout=5000)
        card = dashboard.cards["billing"]
        qtbot.waitUntil(lambda: card.values["cpu"].text() == "42.0 %", timeout=5000)
        assert card.sparkline.toolTip().startswith("Last sample ")
    finally:
        bridge.disconnect_monitor()
        if "monitor" in state:
            state["monitor"].stop()
        window.quitting = True


def test_a_dense_columnar_block_reaches_the_console_thinned_with_its_newest() -> None:
    """10,000 samples in one block: the console is handed at most 301 of them,
    in time order, the newest among them; loose samples all."""
    from desktop_app.models.samples import SampleBlock
    from desktop_app.views.bridge import LIVE_POINTS, shown_samples

    start = time.time() - 200
    times = [start + i / 100 for i in range(10_000)]
    cpu: list[float | None] = [float(i % 50) for i in range(10_000)]
    cpu[-1] = 77.0
    block = SampleBlock("dense", times, {"cpu_percent": cpu})
    shown = shown_samples(block)
    assert len(shown) <= LIVE_POINTS + 1
    assert shown[-1].ts == times[-1] and shown[-1].cpu_percent == 77.0
    assert [s.ts for s in shown] == sorted(s.ts for s in shown)
    loose = [Sample("dense", start, cpu_percent=1.0)]
    assert shown_samples(loose) == loose
