"""What callers hand the database writer: samples, jobs and pauses.

Each item says how its caller is told of the outcome: a Future, or, cheaper
for the API's event loop, a `notify` callback run on the writer thread.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from desktop_app.models.samples import STANDARD_METRICS, Sample

Notify = Callable[[Any, BaseException | None], None]
# Upper bounds of the commit-time histogram's buckets, in seconds (and +Inf).
# The sample table's columns as a row of `Sample` fills them.
SAMPLE_COLUMNS = ("plugin_id", "ts", *STANDARD_METRICS, "failed")
COMMIT_BOUNDS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


@dataclass
class SampleItem:
    """Rows for one caller. It is told of the commit through `future`, or,
    cheaper for the API's event loop, through a `notify` callback."""

    rows: list[tuple[Any, ...]]
    extras: list[tuple[int, int, str, float]]
    response_times: list[tuple[int, int, int, float]]
    last_seen: dict[int, int]
    samples: Sequence[Sample]
    future: Future[int] | None = None
    columns: tuple[str, ...] = SAMPLE_COLUMNS  # what each row holds, in order
    # Columns every row shares, left out of the rows (a block's plugin): Upsert.run
    fixed: tuple[tuple[str, int], ...] = ()
    notify: Notify | None = None

    @property
    def size(self) -> int:
        return len(self.rows) + len(self.extras) + len(self.response_times)

    def settle(self, result: Any, error: BaseException | None) -> None:
        _settle(self.future, self.notify, result, error)

    def take(self) -> bool:
        """Samples are always written: their caller waits for the commit."""
        return True


@dataclass
class JobItem:
    job: Callable[[Connection], Any]
    future: Future[Any] = field(default_factory=Future)
    size: int = 1

    def settle(self, result: Any, error: BaseException | None) -> None:
        _settle(self.future, None, result, error)

    def take(self) -> bool:
        """False for a job its caller withdrew (`DatabaseWriter.call`); once
        taken, it can no longer be withdrawn."""
        return self.future.set_running_or_notify_cancel()


def _settle(
    future: Future[Any] | None, notify: Notify | None, result: Any, error: BaseException | None
) -> None:
    if notify is not None:
        notify(result, error)
        return
    assert future is not None, "every item is told through a future or a notify callback"
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


@dataclass
class PauseItem:
    """Work done with the writer's connection closed (a restore, a reopen)."""

    action: Callable[[], Any]
    future: Future[Any] = field(default_factory=Future)
    size: int = 1


Item = SampleItem | JobItem


@dataclass
class WriterStats:
    """What the health view shows about the writer."""

    running: bool = False
    committed_samples: int = 0
    committed_groups: int = 0
    failed_items: int = 0
    last_commit_at: float | None = None
    last_error: str | None = None
    # How long commits take, as a histogram (Prometheus' commit_seconds).
    commit_counts: list[int] = field(default_factory=lambda: [0] * (len(COMMIT_BOUNDS) + 1))
    commit_seconds: float = 0.0

    def observe_commit(self, seconds: float) -> None:
        self.commit_counts[bisect.bisect_left(COMMIT_BOUNDS, seconds)] += 1
        self.commit_seconds += seconds
