"""Start the console when the operator logs in: an XDG autostart entry
(`~/.config/autostart/<id>.desktop`) made from the shipped desktop entry.

The entry itself is the setting. Its presence is what the session manager
acts on, so the console reads it back instead of keeping a copy in
`settings.toml` that could say otherwise. It starts the same console that
wrote it: the frozen executable, or this Python with `-m desktop_app`, on the
same data folder. Linux (XDG desktops) only: elsewhere `supported()` is False
and the console says so.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from desktop_app import bundled
from desktop_app.errors import OperatorError

log = logging.getLogger("plugin_monitor.console")

# Characters that make the desktop entry spec's Exec key want an argument quoted.
RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def supported() -> bool:
    return sys.platform.startswith("linux")


def entry_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "autostart" / f"{bundled.DESKTOP_ID}.desktop"


def is_on() -> bool:
    return entry_path().is_file()


def launch_command(data_dir: Path) -> list[str]:
    return [*bundled.this_program(), "--data-dir", str(data_dir)]


def exec_line(command: list[str]) -> str:
    """The Exec value: arguments quoted as the desktop entry spec asks, then
    backslashes doubled as every string value's escaping asks."""
    return " ".join(_quoted(argument) for argument in command).replace("\\", "\\\\")


def _quoted(argument: str) -> str:
    if not RESERVED & set(argument):
        return argument
    escaped = "".join("\\" + char if char in '"`$\\' else char for char in argument)
    return f'"{escaped}"'


def entry_text(data_dir: Path) -> str:
    command = "Exec=" + exec_line(launch_command(data_dir))
    shipped = bundled.desktop_entry().read_text(encoding="utf-8").splitlines()
    lines = [command if line.startswith("Exec=") else line for line in shipped]
    return "\n".join([*lines, "X-GNOME-Autostart-enabled=true"]) + "\n"


def turn_on(data_dir: Path) -> Path:
    """Write the entry (again: it follows the data folder and program given now)."""
    _refuse_where_unsupported()
    path = entry_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(entry_text(data_dir), encoding="utf-8")
        partial.replace(path)
    except OSError as error:
        raise OperatorError(f"cannot write the autostart entry {path}: {error.strerror}") from None
    log.info("the console starts at login: %s", path)
    return path


def turn_off() -> Path:
    _refuse_where_unsupported()
    path = entry_path()
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        raise OperatorError(f"cannot remove the autostart entry {path}: {error.strerror}") from None
    log.info("the console no longer starts at login (%s removed)", path)
    return path


def _refuse_where_unsupported() -> None:
    if not supported():
        raise OperatorError(
            "starting at login is made with an XDG autostart entry, on Linux only; "
            "on this system use its own startup settings"
        )
