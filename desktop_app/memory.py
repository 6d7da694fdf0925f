"""The C allocator's part of the monitor's memory.

glibc gives each thread that allocates its own malloc arena, up to eight per
core, and an arena keeps what was freed in it for reuse by that arena alone.
The monitor's API, writer, collectors and WebSocket threads allocate and free
in turn, so freed memory piled up in a dozen arenas: in a soak of `serve`
(benchmarks/bench_soak.py: 1,000 samples/s, 50 WebSocket clients and 10 a
second coming and going) RSS grew from 280 to 373 MiB between minute 1 and
minute 6 while the Python heap stayed at 76 MiB. With two arenas
(MALLOC_ARENA_MAX=2) the same run grew from 270 to 277 MiB. The GIL
serialises most allocation here anyway, so more arenas bought no speed: the
median of the half-minute ingest p99s was 34 ms with two arenas, 36 ms without.
"""

from __future__ import annotations

import ctypes
import os
import sys

M_ARENA_MAX = -8  # glibc's <malloc.h>
ARENAS = 2


def limit_malloc_arenas() -> bool:
    """At start, before the threads: glibc's arenas limited to ARENAS. An
    operator's own MALLOC_ARENA_MAX wins; elsewhere (another C library,
    another system) nothing is done. True when the limit was set."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own C library
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(M_ARENA_MAX, ARENAS))
