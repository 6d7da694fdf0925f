"""The audit trail: every audited action in the database and in logs/audit.log,
security events raised from it, and a restored database erasing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete

from desktop_app.models import tables
from desktop_app.models.alerts import AlertEvent
from desktop_app.models.auth import Role
from desktop_app.models.plugins import SECURITY_PLUGIN_KEY
from desktop_app.services.audit_trail import last_written_id
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import NO_API, wait_until


def lines(monitor: PluginMonitor) -> list[dict[str, object]]:
    path = monitor.audit_trail.path
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_action_is_a_row_and_a_line_and_changes_are_security_events(
    monitor: PluginMonitor,
) -> None:
    told: list[AlertEvent] = []
    monitor.bus.subscribe(told.append)
    monitor.settings_service.apply({"collection.interval": 10.0}, actor="ops (console)")
    key, _secret = ApiKeyStore(monitor.database).create(
        name="ci", role=Role.VIEWER, actor="cli (ops)"
    )
    ApiKeyStore(monitor.database).revoke(key.id, actor="cli (ops)")
    monitor.audit_trail.sync()
    rows = {(e.action, e.actor) for e in monitor.audit.entries(limit=10)}
    written = lines(monitor)
    assert {
        ("setting.set", "ops (console)"),
        ("key.create", "cli (ops)"),
        ("key.revoke", "cli (ops)"),
    } <= rows
    assert [line["action"] for line in written][-3:] == ["setting.set", "key.create", "key.revoke"]
    ids = [int(str(line["id"])) for line in written]
    assert ids == sorted(set(ids)), "in order, none twice"
    assert written[-3]["old_value"] == "30.0" and written[-3]["new_value"] == "10.0"
    assert written[-2]["new_value"] == f"ci (viewer, all, pm_{key.prefix}_…)"
    assert oct(monitor.audit_trail.path.stat().st_mode & 0o777) == "0o600"
    monitor.engine.flush().result(10)
    wait_until(
        lambda: (
            {e.alert.rule for e in told if e.alert.plugin_key == SECURITY_PLUGIN_KEY}
            >= {"config_change", "key_change"}
        ),
        what="the config_change and key_change events",
    )
    assert monitor.engine.open_alerts() == [], "events are never open"


@pytest.mark.expect_log_warnings
def test_a_restored_older_database_erases_nothing_from_the_file(data_dir: Path) -> None:
    first = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    first.start(monitoring=False)
    first.settings_service.apply({"collection.interval": 10.0}, actor="before")
    first.settings_service.apply({"collection.interval": 20.0}, actor="lost")
    first.stop()
    before = lines(first)
    assert [line["actor"] for line in before][-2:] == ["before", "lost"]
    with first.database.begin() as conn:  # as a restore of an older copy would leave it
        conn.execute(delete(tables.audit_log).where(tables.audit_log.c.actor == "lost"))
    first.database.dispose()
    second = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    second.start(monitoring=False)
    try:
        second.settings_service.apply({"collection.interval": 30.0}, actor="after")
        second.audit_trail.sync()
        after = lines(second)
        assert after[: len(before)] == before, "nothing already written is touched"
        assert [line["actor"] for line in after][len(before) :] == ["after"]
    finally:
        second.stop()


def test_a_missing_or_broken_file_has_no_position(tmp_path: Path) -> None:
    assert last_written_id(tmp_path / "none.log") is None
    broken = tmp_path / "audit.log"
    broken.write_text('{"id": 4}\nnot json', encoding="utf-8")
    assert last_written_id(broken) is None
    broken.write_text('{"id": 4}\n{"id": 7}\n', encoding="utf-8")
    assert last_written_id(broken) == 7
