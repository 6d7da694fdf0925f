"""Before Qt starts: is there a display, and can the platform plugin load?

Qt aborts the process when it cannot open a display or load its platform
plugin; these checks turn that into a one-line message and exit code 2.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

# Libraries the xcb platform plugin needs on Debian, with their packages.
XCB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
}
HEADLESS_HINT = "run `plugin-monitor serve` for the monitor without a window"


def display_problem() -> str | None:
    """A message when no window can be shown here, else None."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal", "vnc")) or sys.platform != "linux":
        return None
    if not platform and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return f"no display found (neither DISPLAY nor WAYLAND_DISPLAY is set); {HEADLESS_HINT}"
    if platform.startswith("wayland") or (not platform and os.environ.get("WAYLAND_DISPLAY")):
        return None
    display = os.environ.get("DISPLAY", "")
    if display and not x_display_reachable(display):
        return f"cannot connect to the X display {display}; {HEADLESS_HINT}"
    missing = missing_xcb_libraries()
    if missing:
        packages = " ".join(XCB_PACKAGES.get(lib, lib) for lib in missing)
        return (
            f"Qt's xcb platform plugin cannot load: missing {', '.join(missing)}; "
            f"install them (Debian: apt-get install {packages}) or {HEADLESS_HINT}"
        )
    return None


def x_display_reachable(display: str) -> bool:
    """A local display (":N") has its socket in /tmp/.X11-unix; remote ones
    are left for Qt to try."""
    match = re.fullmatch(r"(?:unix)?:(\d+)(?:\.\d+)?", display)
    if match is None:
        return True
    return Path(f"/tmp/.X11-unix/X{match.group(1)}").exists()


def missing_xcb_libraries() -> list[str]:
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists():
        return []
    try:
        output = subprocess.run(
            ["ldd", str(plugin)], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return sorted(set(re.findall(r"^\s*(\S+) => not found", output, re.M)))


def probe_qt() -> int:
    """`self-check --qt-probe`, which `cli.self_check.qt_platform` runs in a
    child process (a platform plugin that cannot load aborts the process):
    what Qt finds, as one JSON line."""
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    app = QApplication([])
    found = {
        "platform": app.platformName(),
        "tray": QSystemTrayIcon.isSystemTrayAvailable(),
        "messages": QSystemTrayIcon.supportsMessages(),
    }
    print(json.dumps(found))
    return 0
