"""Where the files the application ships with are: translations, icons, the
chime, the example plugins and the desktop files.

One folder, `resources/`, found in three layouts:
- a frozen bundle (PyInstaller puts it under `sys._MEIPASS`);
- an installed wheel (`setup.py` copies it into the package as
  `desktop_app/resources/`, since a wheel carries only what is inside a package);
- the source tree (an editable install), where it sits beside the package.
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The freedesktop id: the desktop entry's and the AppStream file's name, and Qt's desktop file name.
DESKTOP_ID = "io.github.pluginmonitor.PluginMonitor"


def this_program() -> list[str]:
    """The command that runs this application again: the bundle's executable
    when frozen (it takes no `-c` or `-m`), else this interpreter with
    `-m desktop_app` (a venv's python finds the package it runs)."""
    return (
        [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "desktop_app"]
    )


def resources() -> Path:
    """The first layout that has the folder; the source tree's otherwise, so a
    missing file is reported under a path a developer recognises."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen) / "resources"] if frozen else []
    candidates += [PACKAGE / "resources", PACKAGE.parent / "resources"]
    return next((path for path in candidates if path.is_dir()), candidates[-1])


def translation(language: str) -> Path:
    return resources() / "translations" / f"plugin_monitor_{language}.qm"


def icon(name: str) -> Path:
    return resources() / "icons" / name


def chime() -> Path:
    return resources() / "sounds" / "critical.wav"


def desktop_entry() -> Path:
    return resources() / "desktop" / f"{DESKTOP_ID}.desktop"


def example_plugins() -> Path:
    return resources() / "example-plugins"
