"""`plugin-monitor settings get|set`, with and without a running monitor."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from tests.cli.test_cli import run, start, stop


def audit(data_dir: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(data_dir / "plugin_monitoring.db") as conn:
        return conn.execute(
            "SELECT actor, action, target, new_value FROM audit_log WHERE action = 'setting.set'"
        ).fetchall()


def test_get_prints_every_setting_and_one_by_key(data_dir: Path) -> None:
    every = run("settings", "get", data_dir=data_dir)
    assert every.returncode == 0, every.stderr
    assert "collection.interval = 30.0" in every.stdout.splitlines()
    assert 'console.theme = "system"' in every.stdout.splitlines()
    one = run("settings", "get", "api.port", data_dir=data_dir)
    assert one.stdout == "api.port = 5000\n"
    section = run("settings", "get", "thresholds", data_dir=data_dir).stdout.splitlines()
    assert "thresholds.cpu_threshold = 80.0" in section
    assert all(line.startswith("thresholds.") for line in section) and len(section) > 5
    unknown = run("settings", "get", "threshold", data_dir=data_dir)
    assert unknown.returncode == 2 and "unknown setting 'threshold'" in unknown.stderr


def test_set_without_a_monitor_saves_and_audits_as_the_cli(data_dir: Path) -> None:
    result = run("settings", "set", "collection.interval", "10", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "the monitor uses it from its next start" in result.stdout
    assert run("settings", "get", "collection.interval", data_dir=data_dir).stdout == (
        "collection.interval = 10.0\n"
    )
    ((actor, _action, target, value),) = audit(data_dir)
    assert actor.startswith("cli (") and (target, value) == ("collection.interval", "10.0")
    theme = run("settings", "set", "console.theme", "dark", data_dir=data_dir)
    assert theme.returncode == 0, theme.stderr


def test_wrong_keys_and_values_exit_2_and_change_nothing(data_dir: Path) -> None:
    run("settings", "get", data_dir=data_dir)
    before = (data_dir / "config" / "settings.toml").read_text()
    wrong = run("settings", "set", "collection.interval", "0.5", data_dir=data_dir)
    assert wrong.returncode == 2
    assert "collection.interval = 0.5 is not allowed: a number from 1 to 3600" in wrong.stderr
    unknown = run("settings", "set", "collection.speed", "1", data_dir=data_dir)
    assert unknown.returncode == 2 and "unknown setting 'collection.speed'" in unknown.stderr
    order = run("settings", "set", "thresholds.cpu_critical_threshold", "50", data_dir=data_dir)
    assert order.returncode == 2 and "critical line must be at or above" in order.stderr
    assert "Traceback" not in wrong.stderr + unknown.stderr + order.stderr
    assert (data_dir / "config" / "settings.toml").read_text() == before


def test_set_beside_a_running_monitor_is_taken_up_by_it(data_dir: Path) -> None:
    process = start("serve", data_dir=data_dir)
    try:
        deadline = time.monotonic() + 20
        while not (data_dir / "plugin_monitoring.db").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)
        result = run("settings", "set", "alerts.throttle_seconds", "45", data_dir=data_dir)
        assert result.returncode == 0, result.stderr
        assert "the running monitor takes it up within a few seconds" in result.stdout
        deadline = time.monotonic() + 5
        while not audit(data_dir) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        code, err = stop(process)
    assert code == 0, err
    assert audit(data_dir) == [("file", "setting.set", "alerts.throttle_seconds", "45.0")]
