"""One path for every setting change: checked, written, applied live, audited;
hand edits of settings.toml taken up while the monitor runs."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
import tomlkit

from desktop_app.errors import SettingsError
from desktop_app.models.audit import AuditEntry
from desktop_app.services.runtime import PluginMonitor

APPLY_WITHIN = 5.0


def wait_for(condition: Callable[[], object], seconds: float = APPLY_WITHIN) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def edit_by_hand(monitor: PluginMonitor, section: str, key: str, value: object) -> None:
    """What an operator's editor does: rewrite the file with one value changed."""
    path = monitor.paths.settings_file
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    document[section][key] = value  # type: ignore[index]
    path.write_text(tomlkit.dumps(document), encoding="utf-8")


def audit_rows(monitor: PluginMonitor, target: str) -> list[AuditEntry]:
    return [e for e in monitor.audit.entries(limit=1000) if e.target == target]


def test_apply_checks_all_then_saves_applies_and_audits(monitor: PluginMonitor) -> None:
    result = monitor.settings_service.apply(
        {"collection.interval": 10, "alerts.throttle_seconds": 60, "api.port": 5050},
        actor="tester",
    )
    assert dict(result.changed) == {
        "collection.interval": (30.0, 10.0),
        "alerts.throttle_seconds": (300.0, 60.0),
        "api.port": (5000, 5050),
    }
    assert result.restart_required == ("api.port",)
    assert monitor.scheduler.interval == 10.0
    monitor.engine.flush().result(5)
    assert monitor.engine.throttle.window_seconds == 60.0, "set through the engine's queue"
    saved = monitor.settings_file.load()
    assert (saved.collection_interval, saved.api.port) == (10.0, 5050)
    (row,) = audit_rows(monitor, "collection.interval")
    assert (row.actor, row.action, row.old_value, row.new_value) == (
        "tester",
        "setting.set",
        "30.0",
        "10.0",
    )


def test_one_wrong_value_changes_nothing(monitor: PluginMonitor) -> None:
    before = monitor.settings_file.path.read_text(encoding="utf-8")
    with pytest.raises(SettingsError, match=r"collection\.interval = 0\.5 is not allowed") as info:
        monitor.settings_service.apply(
            {"alerts.throttle_seconds": 60, "collection.interval": 0.5}, actor="tester"
        )
    assert info.value.key == "collection.interval"
    with pytest.raises(SettingsError, match=r"unknown setting 'collection\.speed'"):
        monitor.settings_service.apply({"collection.speed": 1}, actor="tester")
    with pytest.raises(SettingsError, match="critical line must be at or above"):
        monitor.settings_service.apply({"thresholds.cpu_critical_threshold": 50}, actor="t")
    assert monitor.settings_file.path.read_text(encoding="utf-8") == before
    assert monitor.scheduler.interval == 30.0
    assert monitor.audit.entries() == [] or all(
        e.action != "setting.set" for e in monitor.audit.entries()
    )


def test_thresholds_go_through_the_threshold_service(monitor: PluginMonitor) -> None:
    monitor.settings_service.apply({"thresholds.cpu_threshold": 70}, actor="tester")
    assert monitor.thresholds.cpu_threshold == 70.0
    assert monitor.settings_service.values()["thresholds.cpu_threshold"] == 70.0
    (row,) = audit_rows(monitor, "cpu_threshold")
    assert (row.actor, row.action) == ("tester", "threshold.set")


def test_a_hand_edit_of_a_threshold_applies_within_seconds_and_is_audited(
    monitor: PluginMonitor,
) -> None:
    edit_by_hand(monitor, "thresholds", "cpu_threshold", 65.0)
    assert wait_for(lambda: monitor.thresholds.cpu_threshold == 65.0)
    assert wait_for(lambda: audit_rows(monitor, "cpu_threshold"))
    (row,) = audit_rows(monitor, "cpu_threshold")
    assert (row.actor, row.old_value, row.new_value) == ("file", "80.0", "65.0")
    edit_by_hand(monitor, "collection", "interval", 12.5)
    assert wait_for(lambda: monitor.scheduler.interval == 12.5)
    assert wait_for(lambda: audit_rows(monitor, "collection.interval"))
    assert audit_rows(monitor, "collection.interval")[0].actor == "file"


def test_the_monitors_own_write_backs_are_not_echoed_as_file_changes(
    monitor: PluginMonitor,
) -> None:
    monitor.thresholds.set("memory_threshold", 70.0, actor="tester")
    monitor.settings_service.apply({"collection.interval": 20}, actor="tester")
    monitor.settings_watcher.check()
    time.sleep(1.5)  # past the watcher's own look, too
    actors = {e.actor for e in monitor.audit.entries(limit=100)}
    assert "file" not in actors
    assert actors >= {"tester"}


@pytest.mark.expect_log_warnings
def test_an_invalid_hand_edit_keeps_the_running_values_and_says_why(
    monitor: PluginMonitor, caplog: pytest.LogCaptureFixture
) -> None:
    problems: list[str] = []
    monitor.problems.subscribe(lambda problem: problems.append(problem.message))
    edit_by_hand(monitor, "collection", "interval", 0.25)
    assert wait_for(lambda: problems)
    path = str(monitor.paths.settings_file)
    (message,) = problems
    assert message.startswith(path)
    assert "collection.interval = 0.25 is not allowed: a number from 1 to 3600" in message
    assert "running values are kept" in message
    assert monitor.scheduler.interval == 30.0
    assert any(message == r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    watcher = monitor.health().worker("settings-file")
    assert watcher is not None and watcher.error == message

    edit_by_hand(monitor, "collection", "interval", 15.0)
    assert wait_for(lambda: monitor.scheduler.interval == 15.0)
    assert monitor.health().worker("settings-file").error is None  # type: ignore[union-attr]


def test_a_file_still_invalid_at_the_next_start_stops_it_with_the_same_line(
    data_dir: Path,
) -> None:
    monitor = PluginMonitor.open(data_dir, collectors=[], api={"enabled": False})
    monitor.stop()
    edit_by_hand(monitor, "collection", "interval", 0.25)
    with pytest.raises(SettingsError, match=r"collection\.interval = 0\.25 is not allowed"):
        PluginMonitor.open(data_dir, collectors=[], api={"enabled": False})


def test_per_plugin_overrides_edited_by_hand_apply_and_removals_restore_the_global(
    monitor: PluginMonitor,
) -> None:
    path = monitor.paths.settings_file
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    plugins = tomlkit.table()
    plugins["billing"] = {"cpu_threshold": 50.0}
    document["thresholds"]["plugins"] = plugins  # type: ignore[index]
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    assert wait_for(lambda: monitor.thresholds.effective("billing").cpu_threshold == 50.0)
    del document["thresholds"]["plugins"]  # type: ignore[union-attr]
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    assert wait_for(lambda: monitor.thresholds.effective("billing").cpu_threshold == 80.0)
    targets = [e.target for e in monitor.audit.entries(limit=100) if e.actor == "file"]
    assert targets.count("billing.cpu_threshold") == 2


def test_list_settings_are_checked_saved_as_arrays_and_wait_for_a_restart(
    monitor: PluginMonitor,
) -> None:
    result = monitor.settings_service.apply(
        {"api.trusted_proxies": ["127.0.0.1", "::1"], "api.allowed_hosts": ["monitor.lan"]},
        actor="tester",
    )
    assert result.restart_required == ("api.trusted_proxies", "api.allowed_hosts")
    saved = monitor.settings_file.load().api
    assert saved.trusted_proxies == ("127.0.0.1", "::1")
    assert saved.allowed_hosts == ("monitor.lan",)
    assert 'allowed_hosts = ["monitor.lan"]' in monitor.paths.settings_file.read_text()
    with pytest.raises(SettingsError, match=r"api\.trusted_proxies = \['proxy'\] is not allowed"):
        monitor.settings_service.apply({"api.trusted_proxies": ["proxy"]}, actor="tester")
