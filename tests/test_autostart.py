"""Starting at login: the XDG autostart entry is the setting itself, written
so that a desktop session runs the same console on the same data folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from desktop_app import autostart
from tests.helpers import require_tools

CLI = Path(sys.executable).parent / "plugin-monitor"


def _arguments(exec_value: str) -> list[str]:
    """The Exec key read back as the desktop entry spec says: string escapes
    first (a doubled backslash), then quoted arguments with `\\X` for X."""
    text = exec_value.replace("\\\\", "\\")
    found = re.findall(r'"((?:[^"\\]|\\.)*)"|(\S+)', text)
    return [re.sub(r"\\(.)", r"\1", quoted) if quoted else plain for quoted, plain in found]


def test_turning_on_writes_an_entry_that_starts_this_console_on_this_folder(tmp_path: Path) -> None:
    data = tmp_path / "data with 'quotes' and $HOME"
    path = autostart.turn_on(data)
    assert path == Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / autostart.entry_path().name
    assert autostart.is_on()
    (line,) = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("Exec=")
    ]
    assert _arguments(line.removeprefix("Exec=")) == [
        sys.executable,
        "-m",
        "desktop_app",
        "--data-dir",
        str(data),
    ]
    autostart.turn_off()
    assert not autostart.is_on() and not path.exists()


def test_the_entry_passes_desktop_file_validate(tmp_path: Path) -> None:
    require_tools("desktop-file-validate")
    path = autostart.turn_on(tmp_path / "my data")
    try:
        checked = subprocess.run(
            ["desktop-file-validate", str(path)], capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0 and checked.stdout == "", checked.stdout
    finally:
        autostart.turn_off()


def test_an_unwritable_folder_is_refused_in_words(tmp_path: Path) -> None:
    blocked = tmp_path / "config"
    blocked.write_text("a file where the folder would be")
    env = {**os.environ, "XDG_CONFIG_HOME": str(blocked)}
    refused = subprocess.run(
        [str(CLI), "autostart", "on", "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert refused.returncode == 2
    assert refused.stderr.startswith(
        f"plugin-monitor: error: cannot write the autostart entry {blocked}/autostart/"
    )


def test_the_command_line_turns_it_on_shows_it_and_turns_it_off(tmp_path: Path) -> None:
    def run(state: str) -> str:
        done = subprocess.run(
            [str(CLI), "autostart", state, "--data-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    assert run("status") == "off"
    assert run("on").startswith(f"the console starts when you log in, on {tmp_path} (")
    assert run("status") == f"on: {autostart.entry_path()}"
    assert run("off").startswith("the console no longer starts when you log in")
    assert run("status") == "off"
