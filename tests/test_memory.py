"""glibc's malloc arenas are limited at start (desktop_app/memory.py): in a
process of its own, sixteen threads that allocate leave at most two arenas,
where without the limit they leave more (glibc's `malloc_stats` counts them)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from desktop_app.memory import ARENAS

PROGRAM = textwrap.dedent(
    """
    import ctypes, sys, threading
    from desktop_app.memory import limit_malloc_arenas
    print(limit_malloc_arenas() if sys.argv[1] == "limited" else "unlimited", flush=True)
    barrier = threading.Barrier(16)
    def work():
        barrier.wait()  # all at once, so that each needs an arena of its own
        kept = [bytearray(200_000) for _ in range(20)]
        barrier.wait()
    threads = [threading.Thread(target=work) for _ in range(16)]
    for thread in threads: thread.start()
    for thread in threads: thread.join()
    ctypes.CDLL(None).malloc_stats()  # per arena, to stderr
    """
)


def _arenas(mode: str) -> tuple[str, int]:
    env = {key: value for key, value in os.environ.items() if key != "MALLOC_ARENA_MAX"}
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, mode], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip(), done.stderr.count("Arena ")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's arenas are Linux's")
def test_the_limit_leaves_two_arenas_where_threads_would_make_more() -> None:
    set_, limited = _arenas("limited")
    _, unlimited = _arenas("unlimited")
    assert set_ == "True"
    assert limited <= ARENAS < unlimited, (limited, unlimited)


def test_an_operators_own_setting_wins() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from desktop_app.memory import limit_malloc_arenas as f; print(f())",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "MALLOC_ARENA_MAX": "4"},
        check=True,
    )
    assert done.stdout.strip() == "False"
