"""The plugin registry inside a real monitor."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from desktop_app.errors import OperatorError, UnknownPluginError
from desktop_app.models.plugins import PluginSource, ProcessSpec
from desktop_app.models.samples import Sample
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import NO_API, push


def test_register_is_idempotent_and_updates_the_name(monitor: PluginMonitor) -> None:
    first = monitor.registry.register("my_plugin", "My plugin", PluginSource.API)
    again = monitor.registry.register("my_plugin", "My plugin", PluginSource.API)
    renamed = monitor.registry.register("my_plugin", "내 플러그인", PluginSource.API)
    assert first.id == again.id == renamed.id
    assert monitor.registry.get("my_plugin").name == "내 플러그인"  # type: ignore[union-attr]
    registrations = [e for e in monitor.audit.entries() if e.target == "my_plugin"]
    assert [e.action for e in registrations] == ["plugin.register"]


def test_invalid_ids_are_refused(monitor: PluginMonitor) -> None:
    with pytest.raises(OperatorError, match=r"plugin id '\.\./etc' is not allowed"):
        monitor.registry.register("../etc", "x", PluginSource.API)


def test_enable_and_disable_are_audited_and_survive_a_restart(data_dir: Path) -> None:
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as monitor:
        monitor.start(monitoring=False)
        monitor.registry.register("app", "App", PluginSource.API)
        monitor.registry.set_enabled("app", False, actor="alice")
        entry = monitor.audit.entries()[0]
        assert (entry.actor, entry.action, entry.old_value, entry.new_value) == (
            "alice",
            "plugin.disable",
            "True",
            "False",
        )
        with pytest.raises(UnknownPluginError):
            monitor.registry.set_enabled("ghost", False)
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as monitor:
        monitor.start(monitoring=False)
        assert monitor.registry.get("app").enabled is False  # type: ignore[union-attr]


def test_plugins_folder_is_registered_at_start(data_dir: Path) -> None:
    (data_dir / "plugins" / "billing").mkdir(parents=True)
    (data_dir / "plugins" / "billing" / "plugin.toml").write_text(
        'name = "Billing"\n[process]\nname = "billing-worker"\n'
    )
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as monitor:
        monitor.start(monitoring=False)
        billing = monitor.registry.get("billing")
        assert billing is not None
        assert (billing.name, billing.source, billing.process) == (
            "Billing",
            PluginSource.DIRECTORY,
            ProcessSpec(name="billing-worker"),
        )
        assert [p.key for p in monitor.registry.all()] == ["billing", "security", "system"]


def test_last_seen_follows_committed_samples(monitor: PluginMonitor) -> None:
    push(monitor, plugin="app", cpu_percent=1.0)
    seen = monitor.registry.get("app").last_seen  # type: ignore[union-attr]
    assert seen is not None and seen > 1_700_000_000


def test_registering_while_samples_commit_does_not_wait_on_the_writer(
    monitor: PluginMonitor,
) -> None:
    """The writer marks committed samples seen in the registry; a registration
    waiting for the writer must not hold what that needs (it used to, for 30 s)."""
    monitor.registry.register("app", "app", PluginSource.API)
    go, held = threading.Event(), threading.Event()

    def hold_the_first_group(_samples: object) -> None:
        if not held.is_set():
            held.set()
            go.wait(10)

    monitor.samples_bus.subscribe(hold_the_first_group)
    monitor.ingest([Sample("app", 1.0, cpu_percent=1.0)])
    assert held.wait(10)
    registered: list[object] = []
    registering = threading.Thread(
        target=lambda: registered.append(monitor.registry.register("new", "new", PluginSource.API))
    )

    started = threading.Event()

    def register_before_the_samples_are_marked_seen(_future: object) -> None:
        registering.start()  # runs on the writer thread, between commit and mark_seen
        started.set()
        time.sleep(0.3)

    second = monitor.ingest([Sample("app", 2.0, cpu_percent=2.0)])
    second.add_done_callback(register_before_the_samples_are_marked_seen)
    go.set()
    assert started.wait(10)
    registering.join(10)
    assert not registering.is_alive() and len(registered) == 1
