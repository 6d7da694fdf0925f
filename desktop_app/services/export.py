"""Exporting stored samples to CSV or JSON files (R15).

Rows are read in pages and written as they come, so a long window never sits
in memory whole; progress is reported per page and a cancel flag is honoured
between pages. A cancelled or failed export leaves no partial file behind:
it is written to a temporary file that replaces the target only at the end.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from desktop_app.errors import OperatorError
from desktop_app.models.samples import STANDARD_METRICS
from desktop_app.services.storage.database import database_errors, database_words
from desktop_app.services.storage.samples import SampleStore

PAGE_ROWS = 5000
FORMATS = ("csv", "json")
COLUMNS = ("plugin_id", "timestamp", *STANDARD_METRICS, "failed")


class ExportCancelled(OperatorError):
    pass


@dataclass(frozen=True)
class ExportRequest:
    plugin_keys: Sequence[str]
    since: float
    until: float
    fmt: str
    path: Path
    content: str = "samples"  # or "summary": the analytics summary per plugin


def iso_utc(micros: int) -> str:
    return datetime.fromtimestamp(micros / 1_000_000, UTC).isoformat(timespec="microseconds")


def iter_rows(
    samples: SampleStore, plugin_ids: dict[str, int], since: float, until: float
) -> Iterator[list[tuple[tuple[object, ...], dict[str, float]]]]:
    """Pages of (row, custom metrics): rows are (plugin key, ISO time, metrics…,
    failed), plugin by plugin, by time."""
    for key, plugin_id in sorted(plugin_ids.items()):
        for rows, extras in samples.pages(plugin_id, since, until, page_rows=PAGE_ROWS):
            yield [
                ((key, iso_utc(row[0]), *row[1:-1], bool(row[-1])), extras.get(row[0], {}))
                for row in rows
            ]


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """A file that appears at `path` whole once the block ends, or not at all."""
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".export-", suffix=".tmp")
    except OSError as error:
        raise OperatorError(f"{folder}: cannot write here: {error.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, path)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise OperatorError(f"{path}: could not be written: {error.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_samples(
    samples: SampleStore,
    plugin_ids: dict[str, int],
    request: ExportRequest,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: threading.Event | None = None,
) -> int:
    """Write the rows; returns how many. Raises ExportCancelled or OperatorError."""
    if request.fmt not in FORMATS:
        raise OperatorError(f"unknown export format {request.fmt!r}; choose csv or json")
    written = 0
    try:
        total = samples.count(list(plugin_ids.values()), request.since, request.until)
        with atomic_text_file(request.path) as handle:
            for text, rows in stream_samples(
                samples, plugin_ids, request.since, request.until, request.fmt
            ):
                if cancelled is not None and cancelled.is_set():
                    raise ExportCancelled("the export was cancelled; no file was written")
                handle.write(text)
                if rows:
                    written += rows
                    if progress is not None:
                        progress(written, total)
    except database_errors() as error:
        raise OperatorError(
            f"the export stopped after {written} rows: the database could not be read "
            f"({database_words(error)}); no file was written"
        ) from None
    return written


def stream_samples(
    samples: SampleStore, plugin_ids: dict[str, int], since: float, until: float, fmt: str
) -> Iterator[tuple[str, int]]:
    """The export as (text, rows in it) chunks, one page at a time, so neither a
    file nor an HTTP response ever holds the whole window in memory.

    Custom and host metrics (load, swap, free disk, pushed `custom` values)
    follow the standard columns: one CSV column each, or a `custom` object."""
    buffer = io.StringIO(newline="")
    extra_names = samples.extra_names(list(plugin_ids.values()), since, until)
    writer = _CsvWriter(buffer, extra_names) if fmt == "csv" else _JsonWriter(buffer)
    for page in iter_rows(samples, plugin_ids, since, until):
        writer.rows(page)
        yield _drain(buffer), len(page)
    writer.close()
    yield _drain(buffer), 0


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


Page = list[tuple[tuple[object, ...], dict[str, float]]]


class _CsvWriter:
    def __init__(self, handle: TextIO, extra_names: Sequence[str]) -> None:
        self._writer = csv.writer(handle)
        self._writer.writerow((*COLUMNS, *extra_names))
        self._extra_names = extra_names

    def rows(self, page: Page) -> None:
        self._writer.writerows(
            [
                *("" if value is None else value for value in row),
                *(extras.get(name, "") for name in self._extra_names),
            ]
            for row, extras in page
        )

    def close(self) -> None:
        return None


class _JsonWriter:
    """A JSON array of objects, written as it goes."""

    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self._first = True
        handle.write("[")

    def rows(self, page: Page) -> None:
        for row, extras in page:
            item: dict[str, object] = dict(zip(COLUMNS, row, strict=True))
            if extras:
                item["custom"] = extras
            self._handle.write("\n" if self._first else ",\n")
            self._handle.write(json.dumps(item))
            self._first = False

    def close(self) -> None:
        self._handle.write("\n]\n")
