"""A monitor over a plugins folder holding copies of the example plugins."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop_app.services.runtime import PluginMonitor
from tests.helpers import NO_API

EXAMPLES = Path(__file__).resolve().parents[3] / "resources" / "example-plugins"
# The examples say "python3"; tests run them with this interpreter, never a shim
# (pyenv's is a shell script whose own children would be the plugin's).
PYTHON = sys.executable
FAST_SETTINGS = "[supervisor]\nhealthy_after_seconds = 1.5\n"


def add_example(data_dir: Path, name: str, **replace: str) -> Path:
    """Copy an example plugin in; `replace` edits its plugin.toml text."""
    folder = data_dir / "plugins" / name
    shutil.copytree(EXAMPLES / name, folder)
    manifest = folder / "plugin.toml"
    text = manifest.read_text().replace('"python3"', json.dumps(PYTHON))
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    manifest.write_text(text)
    return folder


def add_plugin(data_dir: Path, name: str, manifest: str, script: str = "") -> Path:
    folder = data_dir / "plugins" / name
    folder.mkdir(parents=True)
    if script:
        (folder / "main.py").write_text(script)
    (folder / "plugin.toml").write_text(manifest)  # last: a running monitor takes it up
    return folder


def open_monitor(data_dir: Path) -> PluginMonitor:
    (data_dir / "config").mkdir(parents=True, exist_ok=True)
    settings = data_dir / "config" / "settings.toml"
    if not settings.exists():
        settings.write_text(FAST_SETTINGS)
    monitor = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    monitor.start(monitoring=False)
    return monitor


@pytest.fixture
def supervised(data_dir: Path) -> Iterator[Callable[[], PluginMonitor]]:
    """Opens a monitor on data_dir once the test has laid out its plugins."""
    opened: list[PluginMonitor] = []

    def start() -> PluginMonitor:
        opened.append(open_monitor(data_dir))
        return opened[-1]

    yield start
    for monitor in opened:
        monitor.stop()
