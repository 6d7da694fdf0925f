"""Uncaught errors in any thread are logged, shown, and handed on."""

from __future__ import annotations

import logging
import threading

import pytest

from desktop_app.models.problems import Problem
from desktop_app.services.events import EventBus
from desktop_app.services.uncaught import UncaughtErrors
from desktop_app.services.workers import deadline_in


@pytest.mark.expect_log_warnings
def test_a_thread_error_is_logged_published_and_handed_to_the_previous_hook(
    caplog: pytest.LogCaptureFixture,
) -> None:
    handed_on: list[str] = []
    original = threading.excepthook
    threading.excepthook = lambda args: handed_on.append(str(args.exc_value))
    problems: EventBus[Problem] = EventBus()
    seen: list[Problem] = []
    problems.subscribe(seen.append)
    hooks = UncaughtErrors(problems)
    try:
        hooks.start()

        def broken() -> None:
            raise ValueError("a sensor answered nonsense")

        worker = threading.Thread(target=broken, name="sensor")
        worker.start()
        worker.join(5)
        assert hooks.stop(deadline_in(1))
        assert threading.excepthook is not hooks._thread_hook, "the previous hook is back"
    finally:
        threading.excepthook = original
    assert handed_on == ["a sensor answered nonsense"]
    (problem,) = seen
    assert problem.source == "thread sensor"
    assert problem.message == (
        "unexpected error in thread sensor: ValueError: a sensor answered nonsense "
        "(details in logs/system.log)"
    )
    (record,) = [r for r in caplog.records if r.name == "plugin_monitor.errors"]
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert hooks.health().details == {"count": 1, "last": problem.message.split(" (")[0]}
