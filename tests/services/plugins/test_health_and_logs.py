"""Health checks feed the plugin's samples; logs rotate without losing the child's output."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.models.alerts import AlertFilter
from desktop_app.models.samples import Sample
from desktop_app.models.supervision import PluginState
from desktop_app.services.plugins.child import copytruncate, rotate
from tests.cli.test_follow import free_port
from tests.helpers import wait_until
from tests.services.plugins.conftest import PYTHON, add_example, add_plugin
from tests.services.plugins.test_supervisor import SLEEPER, Start


def test_a_health_checked_plugin_starts_then_runs_and_its_checks_are_samples(
    data_dir: Path, supervised: Start
) -> None:
    port = str(free_port())
    add_example(
        data_dir, "web-service", **{"8780": port, "interval_seconds = 5": "interval_seconds = 1"}
    )
    monitor = supervised()
    wait_until(lambda: monitor.plugins.state("web-service").state is PluginState.RUNNING, 15)
    ids = {"web-service": monitor.registry.ids()["web-service"]}

    def latest() -> Sample:
        return monitor.samples.last_samples(ids)["web-service"]

    wait_until(lambda: latest().request_count == 1, what="a health check's sample")
    checked = latest()
    assert checked.error_count == 0 and checked.response_time is not None
    assert 0 < checked.response_time < 2


@pytest.mark.expect_log_warnings
def test_a_failing_health_check_raises_the_error_rules(data_dir: Path, supervised: Start) -> None:
    add_plugin(
        data_dir,
        "unhealthy",
        f'[run]\ncommand = ["{PYTHON}", "main.py"]\n'
        f'[health]\ncommand = ["{PYTHON}", "-c", "raise SystemExit(1)"]\ninterval_seconds = 1\n',
        SLEEPER,
    )
    monitor = supervised()

    def rules() -> set[str]:
        monitor.engine.flush().result(10)
        return {a.rule for a in monitor.alerts.page(AlertFilter(open_only=True), limit=10)}

    wait_until(lambda: "error_rate" in rules(), 15, "the error-rate alert")
    assert monitor.plugins.state("unhealthy").state is PluginState.STARTING  # never passed


def test_logs_rotate_at_start_and_are_copied_then_emptied_while_running(tmp_path: Path) -> None:
    log = tmp_path / "web.log"
    log.write_bytes(b"x" * 100)
    rotate(log, keep=2, limit=50)
    assert not log.exists() and (tmp_path / "web.log.1").read_bytes() == b"x" * 100
    log.write_bytes(b"y" * 100)
    rotate(log, keep=2, limit=50)
    assert (tmp_path / "web.log.2").read_bytes() == b"x" * 100
    assert (tmp_path / "web.log.1").read_bytes() == b"y" * 100
    with log.open("ab") as child:  # the plugin's own append-mode descriptor
        child.write(b"z" * 100)
        child.flush()
        copytruncate(log, limit=50)
        assert (tmp_path / "web.log.1").read_bytes() == b"z" * 100 and log.stat().st_size == 0
        child.write(b"after\n")
        child.flush()
    assert log.read_bytes() == b"after\n"
