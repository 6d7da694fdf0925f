"""The collection schedule: isolation of failing collectors, pause and resume."""

from __future__ import annotations

import threading
import time

import pytest

from desktop_app.models.samples import Sample
from desktop_app.services.collectors.base import MetricField
from desktop_app.services.collectors.scheduler import CollectionScheduler
from desktop_app.services.workers import deadline_in


class Counting:
    fields: tuple[MetricField, ...] = ()

    def __init__(self, name: str, fail_times: int = 0) -> None:
        self.name = name
        self.calls = 0
        self.fail_times = fail_times

    def collect(self, now: float) -> list[Sample]:
        self.calls += 1
        if self.calls <= self.fail_times:
            raise RuntimeError("sensor unplugged")
        return [Sample(self.name, now)]


def make(
    collectors: list[Counting], interval: float = 0.05, *, active: bool = True
) -> tuple[CollectionScheduler, list[str]]:
    received: list[str] = []
    scheduler = CollectionScheduler(
        collectors,
        lambda samples: received.extend(s.plugin_key for s in samples),
        interval=interval,
        active=active,
    )
    return scheduler, received


@pytest.mark.expect_log_warnings
def test_a_crashing_collector_backs_off_and_never_stops_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    good, bad = Counting("good"), Counting("bad", fail_times=2)
    scheduler, received = make([bad, good], interval=10)
    for _ in range(3):
        scheduler.run_cycle()
    assert received == ["good"] * 3
    assert bad.calls == 1, "skipped while backing off"
    assert "bad" in scheduler.failing_collectors()
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == ["collector bad failed (RuntimeError: sensor unplugged); retrying in 10s"]


@pytest.mark.expect_log_warnings
def test_a_collector_is_retried_after_its_back_off_and_recovers() -> None:
    bad = Counting("bad", fail_times=2)
    scheduler, received = make([bad], interval=0.01)
    deadline = time.monotonic() + 5
    while "bad" not in received and time.monotonic() < deadline:
        scheduler.run_cycle()
        time.sleep(0.005)
    assert received[0] == "bad" and bad.calls == 3
    assert scheduler.failing_collectors() == {}


def test_pause_stops_collection_and_resume_collects_at_once() -> None:
    collector = Counting("c")
    scheduler, received = make([collector], interval=3600, active=False)
    scheduler.start()
    try:
        time.sleep(0.1)
        assert received == []
        scheduler.resume()
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.01)
        assert received == ["c"], "resume collects at once, not after an hour"
        scheduler.pause()
        calls = collector.calls
        time.sleep(0.1)
        assert collector.calls == calls
    finally:
        assert scheduler.stop(deadline_in(5))


def test_interval_changes_apply_while_running() -> None:
    collector = Counting("c")
    scheduler, received = make([collector], interval=3600)
    scheduler.start()
    try:
        time.sleep(0.1)
        assert len(received) == 1
        scheduler.set_interval(0.02)
        done = threading.Event()
        deadline = time.monotonic() + 5
        while len(received) < 5 and time.monotonic() < deadline:
            done.wait(0.01)
        assert len(received) >= 5
    finally:
        assert scheduler.stop(deadline_in(5))
