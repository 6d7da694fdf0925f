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

Even in two arenas, what a burst frees stays with the process: glibc gives
back only the free top of an arena, and a burst (a backfill of an hour of
history, a large export) leaves its freed chunks in the middle. After storing
3.6 M samples through the columns endpoint, `serve` held 550 MiB of RSS, of
which glibc kept 270 MiB freed and unused (`mallinfo2`) for the rest of the
run. `malloc_trim` hands such pages back; the monitor calls it after a burst
(services/freed_memory.py).
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys

M_ARENA_MAX = -8  # glibc's <malloc.h>
ARENAS = 2


_MALLINFO2_FIELDS = "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"


class _MallInfo2(ctypes.Structure):
    """glibc's `struct mallinfo2` (<malloc.h>, glibc 2.33 and later)."""

    _fields_ = [(name, ctypes.c_size_t) for name in _MALLINFO2_FIELDS.split()]


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The process's own C library, where it is glibc on Linux."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.mallinfo2.restype = _MallInfo2
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
    except (OSError, AttributeError):  # another C library, or a glibc before 2.33
        return None
    return libc


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


def heap_figures() -> tuple[int, int] | None:
    """glibc's heap over every arena: bytes in use, and bytes freed but kept
    (None where unknown)."""
    libc = _libc()
    if libc is None:
        return None
    info = libc.mallinfo2()
    return int(info.uordblks + info.hblkhd), int(info.fordblks)


def return_freed_memory() -> bool:
    """Hand glibc's freed pages back to the system (`malloc_trim(0)`); True
    if some were. It walks every arena under its lock: 20 to 60 ms on a
    heap of a few hundred MiB, so it is for when much is kept."""
    libc = _libc()
    return libc is not None and bool(libc.malloc_trim(0))
