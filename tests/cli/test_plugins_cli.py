"""`plugin-monitor plugins ...` against a running monitor, with no key: the
data folder's local credential is used."""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.models.alerts import AlertFilter
from desktop_app.services.runtime import PluginMonitor
from tests.cli.test_follow import free_port
from tests.helpers import wait_until
from tests.services.plugins.conftest import PYTHON, add_plugin

CLI = Path(sys.executable).parent / "plugin-monitor"
SLEEPER = "import time\nprint('hello from the worker', flush=True)\ntime.sleep(600)\n"
RUN = f'[run]\ncommand = ["{PYTHON}", "main.py"]\n'


def cli(data_dir: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), "plugins", *words, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def running(data_dir: Path) -> Iterator[PluginMonitor]:
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(
        f"[api]\nport = {free_port()}\nws_port = {free_port()}\n"
    )
    add_plugin(data_dir, "worker", RUN, SLEEPER)
    monitor = PluginMonitor.open(data_dir, collectors=[])
    monitor.start(monitoring=False)
    yield monitor
    monitor.stop()


def test_restart_list_and_logs_work_without_a_key(data_dir: Path, running: PluginMonitor) -> None:
    wait_until(lambda: running.plugins.state("worker").pid, what="the worker runs")
    before = running.plugins.state("worker").pid
    restarted = cli(data_dir, "restart", "worker")
    assert restarted.returncode == 0, restarted.stderr
    after = running.plugins.state("worker").pid
    assert after != before
    assert restarted.stdout == f"worker: running (pid {after}, restarts 1, last exit -15)\n"
    listed = cli(data_dir, "list").stdout.splitlines()
    assert f"worker: running (pid {after}, restarts 1, last exit -15)" in listed
    assert "system: watched" in listed
    log = data_dir / "logs" / "plugins" / "worker.log"
    wait_until(lambda: log.read_text().count("hello from the worker") == 2)
    shown = cli(data_dir, "logs", "worker", "-n", "1")
    assert shown.stdout == "hello from the worker\n"
    refused = cli(data_dir, "start", "system")
    assert refused.returncode == 2
    assert "plugin system has no [run] table in its plugin.toml" in refused.stderr


def archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_install_checks_audits_and_announces(
    data_dir: Path, running: PluginMonitor, tmp_path: Path
) -> None:
    evil = archive(
        tmp_path / "evil.tar.gz", {"evil/plugin.toml": b"", "../escape.sh": b"echo owned"}
    )
    refused = cli(data_dir, "install", str(evil))
    assert refused.returncode == 2
    assert "../escape.sh would be written outside the plugin's folder" in refused.stderr
    assert not (data_dir / "plugins" / "evil").exists() and not (tmp_path / "escape.sh").exists()
    good = archive(
        tmp_path / "hello.tar.gz",
        {"hello/plugin.toml": RUN.encode(), "hello/main.py": SLEEPER.encode()},
    )
    installed = cli(data_dir, "install", str(good))
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout.startswith("hello: running (pid ")
    entry = next(e for e in running.audit.entries(limit=10) if e.action == "plugin.install")
    assert (entry.target, entry.actor) == (
        "hello",
        "local admin (this machine's command line) (key 1) from 127.0.0.1",
    )
    assert entry.new_value == f"hello from {good}"
    running.audit_trail.sync()

    def announced() -> list[tuple[str, str, str, bool]]:
        alerts = running.alerts.page(AlertFilter(plugin_key="security"), limit=10)
        return [(a.plugin_key, a.rule, a.level.label, a.is_open) for a in alerts]

    # An event: told, recorded, and never left open.
    wait_until(lambda: ("security", "plugin_install", "info", False) in announced())
    again = cli(data_dir, "install", str(good))
    assert again.returncode == 2 and "already installed" in again.stderr


def test_without_a_monitor_the_command_says_so(data_dir: Path) -> None:
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(f"[api]\nport = {free_port()}\n")
    PluginMonitor.open(data_dir, collectors=[]).stop()
    result = cli(data_dir, "list")
    assert result.returncode == 2
    assert "no local credential" in result.stderr or "no monitor answers at" in result.stderr


def check(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), "check", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_reports_what_needs_attention_and_exits_by_it(
    data_dir: Path, running: PluginMonitor
) -> None:
    wait_until(lambda: running.plugins.state("worker").pid, what="the worker runs")
    unsaved = check(data_dir)
    assert unsaved.returncode == 1
    assert "NEEDS ATTENTION: backups: no backup yet: make one with plugin-monitor backup" in (
        unsaved.stdout
    )
    running.backups.back_up_now(actor="test").result(30)
    well = check(data_dir)
    assert well.returncode == 0, well.stdout + well.stderr
    assert "ok: plugins: 1 running, 2 watched" in well.stdout
    assert "ok: backups: the newest backup is 0.0 hours old: " in well.stdout
    assert well.stdout.endswith("all well\n")
    now = time.time()
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now)) + f",{int(now % 1 * 1000):03d}"
    with (data_dir / "logs" / "system.log").open("a") as log:
        log.write(f"{stamp} ERROR plugin_monitor.test: the disk is on fire\n")
    pid = running.plugins.state("worker").pid
    assert pid is not None
    running.plugins.act("disable", "worker", actor="test")
    attention = check(data_dir)
    assert attention.returncode == 1
    assert "NEEDS ATTENTION: log errors: 1 since the last check; the latest: " in attention.stdout
    assert "the disk is on fire" in attention.stdout
    assert attention.stdout.endswith("something needs attention\n")
    assert check(data_dir).returncode == 0  # that error was seen at the last check


def test_check_cannot_check_without_a_monitor(tmp_path: Path) -> None:
    result = check(tmp_path / "nothing")
    assert result.returncode == 2
    assert "holds no Plugin Monitor data folder" in result.stderr
