"""settings.toml: read, validated and rewritten with the operator's comments kept."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import tomlkit

from desktop_app.config.settings import Settings, default_settings_text, parse_settings
from desktop_app.errors import SettingsError


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SettingsFile:
    """Reads and rewrites settings.toml, keeping the operator's comments.

    Writes go to a temporary file that replaces the old one, so a crash or a
    full disk mid-write never leaves a half-written settings file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        # The digest of what this process last wrote, so a watcher can tell
        # the monitor's own write-backs from an operator's hand edit.
        self.written_digest: str | None = None

    def ensure_exists(self) -> None:
        if not self.path.exists():
            self._write_atomically(default_settings_text())

    def read(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise SettingsError(f"{self.path}: not UTF-8 text") from None
        except OSError as exc:
            raise SettingsError(f"{self.path}: cannot be read: {exc.strerror}") from None

    def load(self) -> Settings:
        return self.parse(self.read())

    def parse(self, text: str) -> Settings:
        return parse_settings(text, str(self.path))

    def apply(
        self,
        sets: list[tuple[tuple[str, ...], Any]],
        removes: list[tuple[str, ...]] = [],  # noqa: B006 - never mutated
    ) -> None:
        """Set and remove dotted keys in one rewrite, creating tables on the way."""
        with self._lock:
            document = tomlkit.parse(self.path.read_text(encoding="utf-8"))
            for dotted_path, value in sets:
                table: Any = document
                for part in dotted_path[:-1]:
                    if part not in table:
                        table[part] = tomlkit.table()
                    table = table[part]
                table[dotted_path[-1]] = list(value) if isinstance(value, tuple) else value
            for dotted_path in removes:
                table = document
                for part in dotted_path[:-1]:
                    table = table.get(part) if hasattr(table, "get") else None
                    if table is None:
                        break
                if table is not None and dotted_path[-1] in table:
                    del table[dotted_path[-1]]
            self._write_atomically(tomlkit.dumps(document))

    def _write_atomically(self, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            self.written_digest = digest(text)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
