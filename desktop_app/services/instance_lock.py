"""One running Plugin Monitor per data folder, enforced by an OS lock.

The lock dies with the process, so a crash never leaves a stale lock behind.
On POSIX the lock is held on the data folder itself (which cannot be deleted
while it holds the database), so deleting `.plugin-monitor.lock` does not let
a second monitor in; the file only names the holder's pid. On Windows an open
lock file cannot be deleted, so the file's lock is enough.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from desktop_app.errors import InstanceLockedError, OperatorError
from desktop_app.paths import create_private


class InstanceLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None
        self._folder: int | None = None
        self._also: list[Callable[[], None]] = []

    def acquire(self) -> None:
        try:
            handle = os.fdopen(create_private(self.path), "r+", encoding="utf-8")
        except OSError as exc:
            raise OperatorError(
                f"{self.path}: cannot create the lock file: {exc.strerror}"
            ) from None
        try:
            self._folder = _lock_folder(self.path.parent)
            _lock(handle)
        except OSError:
            self._release_folder()
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise InstanceLockedError(holder, str(self.path.parent)) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def also_release(self, release: Callable[[], None]) -> None:
        """Something held as long as the folder is (its database server's lock)."""
        self._also.append(release)

    def release(self) -> None:
        while self._also:
            self._also.pop()()
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self._release_folder()

    def _release_folder(self) -> None:
        if self._folder is not None:
            os.close(self._folder)
            self._folder = None


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _lock_folder(folder: Path) -> int | None:
        del folder  # an open lock file cannot be deleted on Windows
        return None

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _lock_folder(folder: Path) -> int | None:
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            raise
        return descriptor
