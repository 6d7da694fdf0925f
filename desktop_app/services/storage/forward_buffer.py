"""A forwarding agent's outbox: the samples not yet acknowledged by the
central monitor, in their own SQLite file beside the agent's history, in
the order they were committed. It survives a restart of the agent; it is
bounded (`forward.buffer_mb`), and beyond that the oldest go first."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop_app.paths import create_private

# (sequence, plugin key, UTC seconds, metrics as the push API names them)
Queued = tuple[int, str, float, dict[str, Any]]


class ForwardBuffer:
    """One connection, used by the forwarder's own thread only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            os.close(create_private(path))
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
            "plugin TEXT NOT NULL, ts REAL NOT NULL, metrics TEXT NOT NULL)"
        )

    def close(self) -> None:
        self._db.close()

    def add(self, rows: Sequence[tuple[str, float, dict[str, Any]]]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT INTO outbox (plugin, ts, metrics) VALUES (?, ?, ?)",
                [(plugin, ts, json.dumps(metrics)) for plugin, ts, metrics in rows],
            )

    def oldest(self, limit: int) -> list[Queued]:
        """The oldest `limit` rows of the plugin whose row is oldest, in order."""
        first = self._db.execute("SELECT plugin FROM outbox ORDER BY seq LIMIT 1").fetchone()
        if first is None:
            return []
        rows = self._db.execute(
            "SELECT seq, plugin, ts, metrics FROM outbox WHERE plugin = ? ORDER BY seq LIMIT ?",
            (first[0], limit),
        ).fetchall()
        return [(seq, plugin, ts, json.loads(metrics)) for seq, plugin, ts, metrics in rows]

    def remove(self, seqs: Sequence[int]) -> None:
        with self._db:
            self._db.executemany("DELETE FROM outbox WHERE seq = ?", [(seq,) for seq in seqs])

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def size_bytes(self) -> int:
        pages = self._db.execute("PRAGMA page_count").fetchone()[0]
        free = self._db.execute("PRAGMA freelist_count").fetchone()[0]
        return int((pages - free) * self._db.execute("PRAGMA page_size").fetchone()[0])

    def drop_oldest(self, count: int) -> int:
        with self._db:
            cursor = self._db.execute(
                "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox ORDER BY seq LIMIT ?)",
                (count,),
            )
        return cursor.rowcount
