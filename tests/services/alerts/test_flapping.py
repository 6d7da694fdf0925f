"""Flapping: an alert that toggles every sample is marked flapping, its
notifications wait (at most two in the window), and once stable for the
window one notification says how it stands."""

from __future__ import annotations

import time
from pathlib import Path

from desktop_app.models.alerts import AlertEventKind
from desktop_app.services.alerts.flapping import FlapDetector
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import NO_API, EventRecorder, push


def test_an_alert_toggling_every_sample_is_marked_flapping_and_notifies_at_most_twice(
    data_dir: Path,
) -> None:
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as monitor:
        monitor.start(monitoring=False)
        events = EventRecorder()
        monitor.bus.subscribe(events)
        for cpu in [99, 10] * 10:
            push(monitor, cpu_percent=cpu)
        told = [e for e in events.events if e.notify]
        assert len(told) <= 2
        kinds = [e.kind for e in events.events]
        assert kinds.count(AlertEventKind.FLAPPING) == 1
        assert kinds.index(AlertEventKind.FLAPPING) == 7, "the 7th change (> 6) starts it"
        assert all(e.alert.flapping for e in events.events[7:])
        stored = monitor.alerts.get(events.events[-1].alert.id)
        assert stored is not None and stored.flapping


def test_a_flapping_alert_that_is_stable_for_the_window_settles_once() -> None:
    clock = {"now": 0.0}
    detector = FlapDetector(lambda: (3, 60.0))
    starts = []
    for moment in range(0, 40, 10):  # four changes in 30 s
        clock["now"] = float(moment)
        starts.append(detector.changed(("p", "cpu"), clock["now"]))
    assert starts == [False, False, False, True]
    assert detector.is_flapping(("p", "cpu"))
    assert detector.settled(80.0) == [], "its last change is 50 s old: not yet"
    assert detector.settled(91.0) == [("p", "cpu")]
    assert not detector.is_flapping(("p", "cpu"))
    assert detector.settled(200.0) == []
    detector.changed(("q", "cpu"), 0.0)
    detector.forget_quiet(100.0)
    assert not detector.changed(("q", "cpu"), 100.0), "old history forgotten: one change"


def test_the_engine_tells_a_settled_alert_once_as_it_stands(data_dir: Path) -> None:
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(
        "[alerts]\nflap_changes = 2\nflap_window_seconds = 10\n"
    )
    with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as monitor:
        monitor.start(monitoring=False)
        events = EventRecorder()
        monitor.bus.subscribe(events)
        for cpu in (99, 10, 99):
            push(monitor, cpu_percent=cpu)
        assert events.events[-1].kind is AlertEventKind.FLAPPING
        deadline = time.monotonic() + 15
        while events.events[-1].kind is not AlertEventKind.SETTLED:
            assert time.monotonic() < deadline, "settled within the window and a second"
            time.sleep(0.1)
        settled = events.events[-1]
        assert settled.notify and not settled.alert.flapping and settled.alert.is_open
        (open_now,) = monitor.engine.open_alerts()
        assert not open_now.flapping
