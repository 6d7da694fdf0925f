"""Identical reads in flight together are computed once; an error reaches
every reader; a reader that goes away first leaves the others an answer."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from desktop_app.services.api.shared_reads import SharedReads


def test_identical_reads_at_once_compute_once_and_different_ones_apart() -> None:
    calls: list[str] = []
    lock = threading.Lock()

    def compute(name: str) -> str:
        with lock:
            calls.append(name)
        time.sleep(0.2)
        return f"answer {name}"

    async def main() -> list[str]:
        shared = SharedReads()
        same = [shared.run(("a", 1), lambda: compute("a")) for _ in range(5)]
        other = shared.run(("b", 1), lambda: compute("b"))
        return await asyncio.gather(*same, other)

    answers = asyncio.run(main())
    assert answers == ["answer a"] * 5 + ["answer b"]
    assert sorted(calls) == ["a", "b"]


def test_a_later_read_computes_afresh() -> None:
    calls: list[int] = []

    async def main() -> None:
        shared = SharedReads()
        await shared.run("k", lambda: calls.append(1))
        await shared.run("k", lambda: calls.append(2))

    asyncio.run(main())
    assert calls == [1, 2]


def test_an_error_reaches_every_reader_of_it() -> None:
    def fails() -> None:
        time.sleep(0.1)
        raise ValueError("database damaged")

    async def main() -> list[BaseException | None]:
        shared = SharedReads()
        return await asyncio.gather(
            *(shared.run("k", fails) for _ in range(3)), return_exceptions=True
        )

    outcomes = asyncio.run(main())
    assert all(isinstance(o, ValueError) and str(o) == "database damaged" for o in outcomes)


def test_when_the_first_reader_goes_away_the_next_computes_it() -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        time.sleep(0.2)
        return len(calls)

    async def main() -> int:
        shared = SharedReads()
        first = asyncio.create_task(shared.run("k", compute))
        await asyncio.sleep(0.05)
        second = asyncio.create_task(shared.run("k", compute))
        await asyncio.sleep(0.05)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        return await second

    assert asyncio.run(main()) == 2
    assert len(calls) == 2
