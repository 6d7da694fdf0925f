"""The suite's own guards catch what they are there for."""

from __future__ import annotations

import threading

from tests.conftest import threads_left_running


def test_a_thread_left_running_is_found_and_one_that_ends_is_not() -> None:
    before = set(threading.enumerate())
    release = threading.Event()
    stays = threading.Thread(target=release.wait, name="left-running", daemon=True)
    ends = threading.Thread(target=lambda: None, name="ends")
    stays.start()
    ends.start()
    try:
        assert [t.name for t in threads_left_running(before, grace=0.2)] == ["left-running"]
    finally:
        release.set()
        stays.join(5)
        ends.join(5)
    assert threads_left_running(before, grace=0.2) == []
