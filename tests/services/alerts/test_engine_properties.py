"""Property test through the real engine and database: arbitrary value
sequences never leave two open alerts for one plugin and rule, and what is
stored at the end agrees with the last sample."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop_app.models import tables
from desktop_app.models.levels import AlertLevel
from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import NO_API

_plugin_names = (f"prop{n}" for n in itertools.count())


@pytest.fixture(scope="module")
def shared_monitor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PluginMonitor]:
    data_dir: Path = tmp_path_factory.mktemp("engine-properties")
    monitor = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    monitor.start(monitoring=False)
    yield monitor
    monitor.stop()


def open_alert_counts(monitor: PluginMonitor, plugin_key: str) -> dict[str, int]:
    query = (
        select(tables.alerts.c.rule, func.count())
        .join(tables.plugins, tables.plugins.c.id == tables.alerts.c.plugin_id)
        .where(tables.plugins.c.key == plugin_key, tables.alerts.c.status != "resolved")
        .group_by(tables.alerts.c.rule)
    )
    with monitor.database.connect() as conn:
        return {rule: count for rule, count in conn.execute(query).all()}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=100, allow_nan=False),
            st.floats(min_value=0, max_value=100, allow_nan=False),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_the_stored_state_follows_the_samples(
    shared_monitor: PluginMonitor, steps: list[tuple[float, float]]
) -> None:
    monitor = shared_monitor
    plugin = next(_plugin_names)
    monitor.registry.register(plugin, plugin, PluginSource.API)
    for i, (cpu, memory) in enumerate(steps):
        sample = Sample(plugin, 1_700_000_000.0 + i, cpu_percent=cpu, memory_percent=memory)
        monitor.ingest([sample]).result(10)
        monitor.engine.flush().result(10)
        assert all(count == 1 for count in open_alert_counts(monitor, plugin).values())
    thresholds = monitor.thresholds.effective(plugin)
    last_cpu, last_memory = steps[-1]
    open_by_rule = {a.rule: a for a in monitor.engine.open_alerts() if a.plugin_key == plugin}
    stored = open_alert_counts(monitor, plugin)
    assert set(stored) == set(open_by_rule)
    for rule, value, warn, crit in (
        ("cpu", last_cpu, thresholds.cpu_threshold, thresholds.cpu_critical_threshold),
        ("memory", last_memory, thresholds.memory_threshold, thresholds.memory_critical_threshold),
    ):
        level = open_by_rule[rule].level if rule in open_by_rule else None
        h = thresholds.hysteresis
        if value >= crit:
            assert level is AlertLevel.CRITICAL
        elif warn <= value < crit * (1 - h):
            assert level is AlertLevel.WARNING
        elif value < warn * (1 - h):
            assert level is None
