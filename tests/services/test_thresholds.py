"""Runtime threshold changes through the guide's attribute names."""

from __future__ import annotations

import tomllib

import pytest

from desktop_app.config import SettingsFile
from desktop_app.errors import SettingsError
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import EventRecorder, push


def test_guide_attribute_names_change_the_running_monitor(
    monitor: PluginMonitor, events: EventRecorder
) -> None:
    push(monitor, cpu_percent=75)
    assert events.events == []
    monitor.thresholds.cpu_threshold = 70.0
    monitor.thresholds.memory_threshold = 80.0
    monitor.thresholds.response_time_threshold = 3.0
    push(monitor, cpu_percent=75, memory_percent=81, response_time=3.5)
    assert sorted(events.kinds()) == [
        ("raised", "cpu", "warning"),
        ("raised", "memory", "warning"),
        ("raised", "response_time", "warning"),
    ]
    assert monitor.thresholds.cpu_threshold == 70.0


def test_changes_are_audited_with_old_and_new_values(monitor: PluginMonitor) -> None:
    monitor.thresholds.cpu_threshold = 70.0
    monitor.thresholds.set("memory_critical_threshold", 90, actor="alice")
    entries = monitor.audit.entries()
    assert [(e.actor, e.action, e.target, e.old_value, e.new_value) for e in entries[:2]] == [
        ("alice", "threshold.set", "memory_critical_threshold", "95.0", "90.0"),
        ("python", "threshold.set", "cpu_threshold", "80.0", "70.0"),
    ]


def test_changes_persist_in_settings_toml_keeping_comments(monitor: PluginMonitor) -> None:
    monitor.thresholds.cpu_threshold = 70.0
    monitor.thresholds.plugin("billing").memory_threshold = 90.0
    text = monitor.paths.settings_file.read_text()
    assert "# CPU % that raises a warning" in text
    document = tomllib.loads(text)
    assert document["thresholds"]["cpu_threshold"] == 70.0
    assert document["thresholds"]["plugins"]["billing"]["memory_threshold"] == 90.0
    reloaded = SettingsFile(monitor.paths.settings_file).load()
    assert reloaded.thresholds.cpu_threshold == 70.0
    assert reloaded.plugin_thresholds == {"billing": {"memory_threshold": 90.0}}


def test_per_plugin_override_applies_to_that_plugin_only(
    monitor: PluginMonitor, events: EventRecorder
) -> None:
    monitor.thresholds.plugin("strict").cpu_threshold = 50.0
    push(monitor, plugin="strict", cpu_percent=60)
    push(monitor, plugin="lenient", cpu_percent=60)
    assert [(e.alert.plugin_key, e.alert.rule) for e in events.events] == [("strict", "cpu")]
    assert monitor.thresholds.plugin("strict").cpu_threshold == 50.0
    assert monitor.thresholds.plugin("lenient").cpu_threshold == 80.0
    monitor.thresholds.clear("cpu_threshold", plugin="strict")
    assert monitor.thresholds.plugin("strict").cpu_threshold == 80.0
    assert monitor.audit.entries()[0].action == "threshold.clear"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("cpu_threshold", 150, "cpu_threshold = 150 is not allowed: a number from 0 to 100 %"),
        ("cpu_threshold", "high", "cpu_threshold = 'high' is not allowed"),
        ("for_samples", 1.5, "for_samples = 1.5 is not allowed: a whole number from 1 to 100"),
        ("cpu_critical_threshold", 50, "cpu_critical_threshold = 50 is below cpu_threshold = 80"),
    ],
)
def test_invalid_values_are_refused_and_change_nothing(
    monitor: PluginMonitor, name: str, value: object, message: str
) -> None:
    before = monitor.paths.settings_file.read_text()
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        setattr(monitor.thresholds, name, value)
    assert monitor.paths.settings_file.read_text() == before
    assert [e for e in monitor.audit.entries() if e.action.startswith("threshold")] == []


def test_unknown_names_are_refused(monitor: PluginMonitor) -> None:
    with pytest.raises(AttributeError, match="no threshold named 'cpu_treshold'"):
        monitor.thresholds.cpu_treshold = 70  # type: ignore[attr-defined]
