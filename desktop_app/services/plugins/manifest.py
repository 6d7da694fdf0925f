"""`plugins/<folder>/plugin.toml`: how a plugin describes itself.

id = "billing"              # optional, defaults to the folder name
name = "Billing service"    # optional, defaults to the id
[process]                   # optional: the process to watch
name = "billing-worker"     # or: pid = 4242
[run]                       # optional: the monitor starts and supervises it
command = ["python3", "worker.py"]  # "{python}": the monitor's own Python, which
                                    # has desktop_app.client

`[run]` with `[health]`, `[limits]` and `[settings]` is read by
`manifest_tables`; a plugin has `[process]` or `[run]`, never both.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from desktop_app.models.plugins import ProcessSpec
from desktop_app.models.supervision import Supervision
from desktop_app.services.plugins.manifest_tables import ManifestError, read_supervision

MANIFEST_NAME = "plugin.toml"
CONFIG_FOLDER = "config"  # plugins/<id>/config/: the plugin's own, passed as PLUGIN_CONFIG_DIR
PLUGIN_KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
PLUGIN_KEY_RULE = "1-100 letters, digits, '_', '.' or '-', starting with a letter or digit"


@dataclass(frozen=True)
class Manifest:
    key: str
    name: str
    folder: Path
    process: ProcessSpec | None
    supervision: Supervision | None = None

    @property
    def config_dir(self) -> Path:
        return self.folder / CONFIG_FOLDER


def check_plugin_key(key: object) -> str:
    if not isinstance(key, str) or not PLUGIN_KEY_PATTERN.match(key):
        raise ValueError(f"plugin id {key!r} is not allowed: {PLUGIN_KEY_RULE}")
    return key


def read_manifest(path: Path) -> Manifest:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ManifestError(f"{path}: unknown keys {', '.join(sorted(unknown))}")
    if "process" in data and "run" in data:
        raise ManifestError(
            f"{path}: [process] and [run] exclude each other: a plugin the monitor starts "
            "is watched through its own process"
        )
    try:
        key = check_plugin_key(data.get("id", path.parent.name))
    except ValueError as exc:
        raise ManifestError(f"{path}: {exc}") from None
    name = data.get("name", key)
    if not isinstance(name, str) or not 1 <= len(name) <= 200:
        raise ManifestError(f"{path}: name must be text of 1 to 200 characters")
    return Manifest(
        key=key,
        name=name,
        folder=path.parent,
        process=_process(path, data),
        supervision=read_supervision(path, data),
    )


TOP_KEYS = frozenset(
    {"id", "name", "process", "description", "version", "run", "health", "limits", "settings"}
)


PROCESS_KEYS = frozenset({"pid", "name", "cmdline"})


def _process(path: Path, data: dict[str, object]) -> ProcessSpec | None:
    section = data.get("process")
    if section is None:
        return None
    if not isinstance(section, dict) or len(section) != 1 or not set(section) <= PROCESS_KEYS:
        raise ManifestError(
            f"{path}: [process] takes one of pid = <number>, name = <whole process name> or "
            'cmdline = "<glob on the command line>"'
        )
    pid = section.get("pid")
    name = section.get("name")
    cmdline = section.get("cmdline")
    if pid is not None and (isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0):
        raise ManifestError(f"{path}: process.pid must be a positive whole number")
    if name is not None and (not isinstance(name, str) or not name):
        raise ManifestError(f"{path}: process.name must be non-empty text")
    if cmdline is not None and (not isinstance(cmdline, str) or not cmdline.strip("* ")):
        raise ManifestError(f"{path}: process.cmdline must be a glob with more than stars")
    return ProcessSpec(pid=pid, name=name, cmdline=cmdline)


@dataclass(frozen=True)
class Discovered:
    """The plugin folders as found: valid manifests, and the reason each bad
    one was skipped (by folder name, which the console shows as its plugin)."""

    manifests: tuple[Manifest, ...]
    invalid: dict[str, str]


def discover(plugins_dir: Path) -> Discovered:
    """Every manifest under plugins_dir; a bad one is skipped with its reason."""
    found: list[Manifest] = []
    invalid: dict[str, str] = {}
    seen: dict[str, Path] = {}
    for path in sorted(plugins_dir.glob(f"*/{MANIFEST_NAME}")):
        try:
            manifest = read_manifest(path)
            if manifest.key in seen:
                raise ManifestError(
                    f"{path}: id {manifest.key!r} is already used by {seen[manifest.key]}"
                )
        except ManifestError as exc:
            invalid[path.parent.name] = str(exc)
            continue
        seen[manifest.key] = path
        found.append(manifest)
    return Discovered(tuple(found), invalid)
