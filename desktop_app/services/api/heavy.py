"""Expensive reads under a concurrency limit (`api.max_expensive_reads`).

A viewer running four 30-day backtests at once, or two anonymous 550,000-
event replays, pushed the ingest p99 from 3 ms to 900 ms: they share the
monitor's process with ingest. Backtests, exports over 24 hours and replays
over 10,000 events take a slot while they run; one more is answered 429.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator

from fastapi import HTTPException

from desktop_app.services.auth.abuse import seconds_header

RETRY_SECONDS = 5
LONG_EXPORT_HOURS = 24
BIG_REPLAY_EVENTS = 10_000


class ExpensiveReads:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.running = 0
        self._lock = threading.Lock()  # exports are counted from worker threads

    def refusal(self) -> str:
        return (
            f"{self.limit} expensive reads (backtests, exports over {LONG_EXPORT_HOURS} h, "
            f"replays over {BIG_REPLAY_EVENTS:,} events) are running already; try again when "
            "one has ended (api.max_expensive_reads)"
        )

    def take(self) -> None:
        """A slot, or 429 with Retry-After."""
        with self._lock:
            if self.running >= self.limit:
                raise HTTPException(429, self.refusal(), headers=seconds_header(RETRY_SECONDS))
            self.running += 1

    def give_back(self) -> None:
        with self._lock:
            self.running -= 1

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        self.take()
        try:
            yield
        finally:
            self.give_back()

    def streamed(self, chunks: Iterable[str]) -> Iterator[str]:
        """`chunks` under a slot already taken, given back when the stream ends
        or the client goes away."""
        try:
            yield from chunks
        finally:
            self.give_back()
