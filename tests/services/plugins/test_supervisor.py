"""The supervisor with real child processes: restarts under the policy,
crash loops, stop-all with children, limits, logs, settings, adoption."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from desktop_app.errors import PluginStateError
from desktop_app.models.alerts import AlertFilter
from desktop_app.models.supervision import PluginState
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import wait_until
from tests.services.plugins.conftest import PYTHON, add_example, add_plugin

Start = Callable[[], PluginMonitor]

RUN = f'[run]\ncommand = ["{PYTHON}", "main.py"]\nrestart_delay_seconds = 0.2\n'
RUNS = [PYTHON, "main.py"]  # the plugin's command line, as ps shows it
SLEEPER = (
    "import os, time\n"
    "print('workers', os.environ.get('PLUGIN_MAX_WORKERS'), os.environ['PLUGIN_CONFIG_DIR'],"
    " flush=True)\n"
    "time.sleep(600)\n"
)
# A plugin with a child of its own that ignores SIGTERM, as a careless one would.
FAMILY = (
    "import signal, subprocess, sys, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
    "time.sleep(600)\n"
)


def alerts(monitor: PluginMonitor, *, open_only: bool = False) -> list[tuple[str, str, str]]:
    """(plugin, rule, level) of the open alerts, or of every alert, newest first."""
    monitor.engine.flush().result(10)
    found = monitor.alerts.page(AlertFilter(open_only=open_only), limit=100)
    return [(a.plugin_key, a.rule, a.level.label) for a in found]


def running_pid(monitor: PluginMonitor, key: str) -> int:
    def pid() -> int | None:
        status = monitor.supervisor.status(key)
        return status.pid if status else None

    wait_until(pid, what=f"{key} running")
    pid = monitor.plugins.state(key).pid
    assert pid is not None
    return pid


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.expect_log_warnings
def test_a_killed_plugin_is_restarted_with_an_error_alert_that_resolves_once_it_runs_well(
    data_dir: Path, supervised: Start
) -> None:
    add_plugin(data_dir, "worker", RUN + "[settings]\nmax_workers = 4\n", SLEEPER)
    monitor = supervised()
    first = running_pid(monitor, "worker")
    assert monitor.plugins.state("worker").state is PluginState.RUNNING
    os.kill(first, signal.SIGKILL)
    wait_until(lambda: monitor.plugins.state("worker").pid not in (None, first), what="restart")
    after = monitor.plugins.state("worker")
    assert (after.state, after.restarts, after.exit_code) == (PluginState.RUNNING, 1, -9)
    wait_until(lambda: alerts(monitor, open_only=True) == [("worker", "plugin_exit", "error")])
    wait_until(lambda: not alerts(monitor, open_only=True), what="the alert resolves")
    resolved = monitor.alerts.page(AlertFilter(), limit=1)[0]
    assert resolved.message.startswith("The plugin's process has run well again, after ")
    log = (data_dir / "logs" / "plugins" / "worker.log").read_text()
    assert log.count("started by Plugin Monitor") == 2
    assert f"workers 4 {data_dir / 'plugins' / 'worker' / 'config'}" in log


@pytest.mark.expect_log_warnings
def test_a_crash_loop_stops_restarting_with_a_critical_alert(
    data_dir: Path, supervised: Start
) -> None:
    add_example(
        data_dir,
        "crasher",
        **{"seconds = 5": "seconds = 0", "restart_delay_seconds = 1": "restart_delay_seconds = 0"},
    )
    monitor = supervised()
    wait_until(lambda: monitor.plugins.state("crasher").state is PluginState.CRASH_LOOP)
    status = monitor.plugins.state("crasher")
    assert (status.pid, status.restarts, status.exit_code) == (None, 3, 1)
    assert "3 restarts within 60 s, so it is not restarted again" in status.detail
    time.sleep(0.5)
    assert monitor.plugins.state("crasher").restarts == 3
    wait_until(lambda: ("crasher", "crash_loop", "critical") in alerts(monitor, open_only=True))
    log = (data_dir / "logs" / "plugins" / "crasher.log").read_text()
    assert log.count("something went wrong: exiting with code 1") == 4


def test_stop_all_ends_every_plugin_and_its_children_within_5_s(
    data_dir: Path, supervised: Start
) -> None:
    for name in ("one", "two"):
        add_plugin(data_dir, name, RUN + "stop_timeout_seconds = 1\n", FAMILY)
    monitor = supervised()
    pids = []
    for name in ("one", "two"):
        root = running_pid(monitor, name)
        wait_until(lambda root=root: psutil.Process(root).children(), what="its child")
        pids += [root, *(child.pid for child in psutil.Process(root).children())]
    started = time.monotonic()
    stopped = monitor.plugins.stop_all(actor="test")
    assert time.monotonic() - started < 5
    assert sorted(s.plugin_id for s in stopped) == ["one", "two"]
    assert {s.state for s in stopped} == {PluginState.STOPPED}
    assert all(gone(pid) for pid in pids)
    assert monitor.plugins.state("one").exit_code == -9  # SIGTERM was ignored


@pytest.mark.expect_log_warnings
def test_a_plugin_over_its_memory_limit_raises_the_alert_and_is_restarted(
    data_dir: Path, supervised: Start
) -> None:
    add_example(
        data_dir,
        "memory-leaker",
        **{"memory_mb = 100": "memory_mb = 60", "mib_per_second = 10": "mib_per_second = 40"},
    )
    monitor = supervised()
    wait_until(lambda: monitor.plugins.state("memory-leaker").restarts >= 1, 15, "a restart")
    assert "over its limit of 60 MiB" in monitor.plugins.state("memory-leaker").detail
    assert ("memory-leaker", "memory_limit", "error") in alerts(monitor)


def test_a_new_folder_is_taken_up_and_a_removed_one_stopped_while_running(
    data_dir: Path, supervised: Start
) -> None:
    monitor = supervised()
    folder = add_plugin(data_dir, "late", RUN, SLEEPER)
    started = time.monotonic()
    pid = running_pid(monitor, "late")
    assert time.monotonic() - started < 5
    assert monitor.registry.get("late") is not None
    log = data_dir / "logs" / "plugins" / "late.log"
    wait_until(lambda: "workers" in log.read_text(), what="the plugin has read its script")
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    wait_until(lambda: monitor.plugins.state("late").state is PluginState.GONE, 5)
    assert gone(pid)


@pytest.mark.expect_log_warnings
def test_a_bad_manifest_is_shown_with_its_key_and_the_others_still_run(
    data_dir: Path, supervised: Start
) -> None:
    add_plugin(data_dir, "broken", RUN + 'restart = "sometimes"\n')
    add_plugin(data_dir, "fine", RUN, SLEEPER)
    monitor = supervised()
    running_pid(monitor, "fine")
    broken = monitor.plugins.state("broken")
    assert broken.state is PluginState.INVALID_MANIFEST
    assert broken.detail == (
        f"{data_dir / 'plugins' / 'broken' / 'plugin.toml'}: run.restart must be one of never, "
        "on-failure, always, not 'sometimes'"
    )
    assert "broken" in [s.plugin_id for s in monitor.plugins.states()]
    with pytest.raises(PluginStateError, match="invalid manifest"):
        monitor.plugins.act("start", "broken", actor="test")


def test_disable_stops_a_plugin_and_keeps_it_stopped_until_enabled(
    data_dir: Path, supervised: Start
) -> None:
    add_plugin(data_dir, "worker", RUN, SLEEPER)
    monitor = supervised()
    pid = running_pid(monitor, "worker")
    status = monitor.plugins.act("disable", "worker", actor="test")
    assert (status.state, status.pid) == (PluginState.DISABLED, None)
    assert gone(pid)
    with pytest.raises(PluginStateError, match="plugin worker is disabled; enable it first"):
        monitor.plugins.act("start", "worker", actor="test")
    enabled = monitor.plugins.act("enable", "worker", actor="test")
    assert enabled.state is PluginState.RUNNING and enabled.pid not in (None, pid)
    stopped = monitor.plugins.act("stop", "worker", actor="test")
    assert (stopped.state, stopped.exit_code) == (PluginState.STOPPED, -15)
    actions = [entry.action for entry in monitor.audit.entries(limit=10)]
    assert {"plugin.disable", "plugin.enable", "plugin.stop"} <= set(actions)


def test_keep_running_leaves_plugins_running_and_the_next_start_adopts_them(
    data_dir: Path, supervised: Start
) -> None:
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text("[supervisor]\nkeep_running = true\n")
    add_plugin(data_dir, "worker", RUN, SLEEPER)
    add_plugin(data_dir, "other", RUN, SLEEPER)
    first = supervised()
    pid = running_pid(first, "worker")
    other = running_pid(first, "other")
    assert first.stop()
    assert not gone(pid)
    # A pid file whose start time does not match is a reused pid: never adopted.
    pid_file = data_dir / "run" / "other.pid"
    record = json.loads(pid_file.read_text())
    pid_file.write_text(json.dumps({**record, "started": record["started"] - 100}))
    second = supervised()
    try:
        assert running_pid(second, "worker") == pid
        assert "adopted" in second.plugins.state("worker").detail
        assert running_pid(second, "other") != other
    finally:
        second.plugins.stop_all(actor="test")
        psutil.Process(other).kill()
    assert gone(pid)


def test_a_supervised_plugins_samples_include_its_children(tmp_path: Path) -> None:
    from desktop_app.models.supervision import PluginStatus
    from desktop_app.services.collectors.process import ProcessCollector

    script = tmp_path / "family.py"
    script.write_text(FAMILY.replace("signal.signal(signal.SIGTERM, signal.SIG_IGN)\n", ""))
    parent = subprocess.Popen([PYTHON, str(script)])
    try:
        wait_until(lambda: psutil.Process(parent.pid).children(), what="its child")
        child = psutil.Process(parent.pid).children()[0]
        statuses = {"family": PluginStatus("family", PluginState.RUNNING, pid=parent.pid)}
        collector = ProcessCollector(list, supervised=lambda: statuses)
        (sample,) = collector.collect(time.time())
        both = psutil.Process(parent.pid).memory_info().rss + child.memory_info().rss
        assert sample.plugin_key == "family" and not sample.failed
        assert sample.memory_rss is not None and sample.memory_rss >= 0.9 * both
        assert sample.threads is not None and sample.threads >= 2
        statuses = {"family": PluginStatus("family", PluginState.STOPPED)}
        assert collector.collect(time.time()) == []  # not running: its state says so
    finally:
        for proc in psutil.Process(parent.pid).children():
            proc.kill()
        parent.kill()
        parent.wait()


def test_plugins_outlive_a_killed_monitor_and_are_adopted_not_started_twice(
    data_dir: Path,
) -> None:
    add_plugin(data_dir, "worker", RUN, SLEEPER)
    cli = Path(sys.executable).parent / "plugin-monitor"
    serve = [str(cli), "serve", "--no-api", "--data-dir", str(data_dir)]
    first = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pid_file = data_dir / "run" / "worker.pid"
    try:
        wait_until(pid_file.exists, 20, "the plugin started")
        pid = json.loads(pid_file.read_text())["pid"]
    finally:
        first.kill()  # SIGKILL: no chance to stop the plugin
        first.wait()
    assert not gone(pid)
    second = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log = data_dir / "logs" / "plugin_monitoring.log"
    try:
        wait_until(lambda: f"adopted plugin worker (pid {pid})" in log.read_text(), 20)
        assert (
            len(
                [
                    p
                    for p in psutil.process_iter(["cmdline"])
                    if p.info["cmdline"] == [PYTHON, "main.py"]
                ]
            )
            == 1
        )
    finally:
        second.terminate()
        second.wait(20)
    assert gone(pid)  # stopped with the monitor that adopted it
