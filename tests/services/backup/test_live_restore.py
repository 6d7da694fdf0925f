"""Restoring into a running monitor, as an operator does it: `plugin-monitor
restore NAME` beside the console or the service (through its API), while
plugins go on pushing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop_app.models.audit import AuditFilter
from desktop_app.models.auth import Role
from desktop_app.paths import DATABASE_NAME
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.runtime import PluginMonitor
from tests.cli.test_cli import run
from tests.cli.test_follow import free_port
from tests.helpers import push, wait_until
from tests.services.api.conftest import UNLIMITED
from tests.services.backup.test_restore import samples_in


@pytest.fixture
def running(data_dir: Path) -> Iterator[PluginMonitor]:
    """A monitor on fixed free ports, which the command line finds in its settings."""
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(
        f"[api]\nport = {free_port()}\nws_port = {free_port()}\n"
    )
    monitor = PluginMonitor.open(data_dir, collectors=[])
    monitor.abuse.configure(UNLIMITED)
    monitor.start(monitoring=False)
    yield monitor
    monitor.stop()


def url(monitor: PluginMonitor) -> str:
    assert monitor.api is not None
    return f"http://127.0.0.1:{monitor.api.ports['API']}"


@pytest.mark.expect_log_warnings  # the audit trail says the database went back in time
def test_the_cli_restores_through_a_running_monitor(running: PluginMonitor) -> None:
    monitor, data_dir = running, running.paths.root
    keys = ApiKeyStore(monitor.database)
    pusher, token = keys.create(name="billing plugin", role=Role.OPERATOR)
    for cpu in (10.0, 20.0):
        push(monitor, "app", cpu_percent=cpu)
    backup = monitor.backups.back_up_now(actor="test").result(30)
    push(monitor, "app", cpu_percent=99.0)  # raises an alert the backup does not hold
    push(monitor, "late", cpu_percent=5.0)  # registered after the backup
    monitor.engine.flush().result(10)
    assert [a.rule for a in monitor.engine.open_alerts()] == ["cpu"]
    keys.revoke(pusher.id, actor="test")
    audit_log = data_dir / "logs" / "audit.log"
    wait_until(lambda: '"key.revoke"' in audit_log.read_text(), what="the revocation in audit.log")
    told: list[str] = []
    monitor.replaced.subscribe(told.append)

    restored = run("restore", backup.name, data_dir=data_dir)

    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"restored {monitor.backups.directory / backup.name} (")
    assert "1 key revocation(s) made after it applied again" in restored.stdout
    assert told == [f"restored from {backup.name}"]
    (aside,) = data_dir.glob(f"{DATABASE_NAME}.before-restore-*")
    assert samples_in(aside) == 3, "the replaced data is kept whole"
    assert samples_in(data_dir / DATABASE_NAME) == 2
    assert monitor.engine.open_alerts() == [], "the alert raised after the backup went with it"
    assert monitor.registry.get("late") is None
    assert monitor.registry.get("app") is not None
    with httpx.Client(base_url=url(monitor), timeout=10) as client:
        refused = client.get("/api/status", headers={"Authorization": f"Bearer {token}"})
        assert refused.status_code == 401, "a key revoked after the backup stays revoked"
    (row,) = monitor.audit.page(AuditFilter(action="backup.restore"), limit=5)
    assert row.actor.startswith("local admin") or "key" in row.actor
    push(monitor, "app", cpu_percent=30.0)
    assert samples_in(data_dir / DATABASE_NAME) == 3, "the writer goes on after the restore"


@pytest.mark.expect_log_warnings
def test_pushes_during_a_restore_wait_and_are_stored(running: PluginMonitor) -> None:
    """A plugin pushing through the restore is never refused: what the
    monitor acknowledges after the restore is in the restored database."""
    monitor = running
    push(monitor, "app", cpu_percent=1.0)
    admin = ApiKeyStore(monitor.database).create(name="ops", role=Role.ADMIN)[1]
    backup = monitor.backups.back_up_now(actor="test").result(30)
    headers = {"Authorization": f"Bearer {admin}"}
    answers: list[int] = []
    stop = threading.Event()

    def keep_pushing() -> None:
        with httpx.Client(base_url=url(monitor), headers=headers, timeout=60) as client:
            while not stop.is_set():
                body = {"plugin_id": "app", "metrics": {"cpu_usage": 5.0}}
                answers.append(
                    client.post("/api/advanced-monitoring/update-metrics", json=body).status_code
                )

    pushing = threading.Thread(target=keep_pushing)
    pushing.start()
    try:
        wait_until(lambda: len(answers) > 20, what="pushes before the restore")
        with httpx.Client(base_url=url(monitor), headers=headers, timeout=60) as client:
            done = client.post("/api/system/restore", json={"backup": backup.name})
        assert done.status_code == 200, done.text
        after = len(answers)
        wait_until(lambda: len(answers) > after + 20, what="pushes after the restore")
    finally:
        stop.set()
        pushing.join(30)
    assert set(answers) == {200}
    assert samples_in(monitor.paths.database) >= 1 + 20


def test_the_restore_route_names_backups_in_the_folder_only(running: PluginMonitor) -> None:
    monitor = running
    store = ApiKeyStore(monitor.database)
    admin = store.create(name="ops", role=Role.ADMIN)[1]
    operator = store.create(name="shift", role=Role.OPERATOR)[1]
    before = (monitor.paths.database).read_bytes()
    with httpx.Client(base_url=url(monitor), timeout=10) as client:

        def restore(name: str, token: str = admin) -> httpx.Response:
            return client.post(
                "/api/system/restore",
                json={"backup": name},
                headers={"Authorization": f"Bearer {token}"},
            )

        assert restore("x.tar.gz", operator).status_code == 403
        escaping = restore("../plugin_monitoring.db")
        assert escaping.status_code == 400
        assert "name a backup file in the backup folder, not a path" in escaping.json()["detail"]
        missing = restore("plugin-monitor-20260101T000000Z.tar.gz")
        assert missing.status_code == 400 and "no such backup in" in missing.json()["detail"]
        assert client.post("/api/system/restore", json={}).status_code in (401, 422)
    assert monitor.paths.database.read_bytes() == before
    assert not list(monitor.paths.root.glob("*.before-restore-*"))


def test_the_cli_says_what_a_running_monitor_cannot_restore(
    running: PluginMonitor, tmp_path: Path
) -> None:
    backup = running.backups.back_up_now(actor="test").result(30)
    elsewhere = tmp_path / backup.name
    elsewhere.write_bytes((running.backups.directory / backup.name).read_bytes())
    outside = run("restore", elsewhere, data_dir=running.paths.root)
    assert outside.returncode == 2
    assert "restores from its backup folder only" in outside.stderr
    with_config = run("restore", backup.name, "--with-config", data_dir=running.paths.root)
    assert with_config.returncode == 2
    assert "restore into a stopped one only" in with_config.stderr
