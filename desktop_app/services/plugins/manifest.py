"""`plugins/<folder>/plugin.toml`: how a plugin describes itself.

id = "billing"              # optional, defaults to the folder name
name = "Billing service"    # optional, defaults to the id
[process]                   # optional: the process to watch
name = "billing-worker"     # or: pid = 4242
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from desktop_app.errors import OperatorError
from desktop_app.models.plugins import ProcessSpec

log = logging.getLogger("plugin_monitor.monitoring.plugins")

MANIFEST_NAME = "plugin.toml"
PLUGIN_KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
PLUGIN_KEY_RULE = "1-100 letters, digits, '_', '.' or '-', starting with a letter or digit"


class ManifestError(OperatorError):
    pass


@dataclass(frozen=True)
class Manifest:
    key: str
    name: str
    folder: Path
    process: ProcessSpec | None


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
    unknown = set(data) - {"id", "name", "process", "description", "version"}
    if unknown:
        raise ManifestError(f"{path}: unknown keys {', '.join(sorted(unknown))}")
    try:
        key = check_plugin_key(data.get("id", path.parent.name))
    except ValueError as exc:
        raise ManifestError(f"{path}: {exc}") from None
    name = data.get("name", key)
    if not isinstance(name, str) or not 1 <= len(name) <= 200:
        raise ManifestError(f"{path}: name must be text of 1 to 200 characters")
    return Manifest(key=key, name=name, folder=path.parent, process=_process(path, data))


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


def discover(plugins_dir: Path) -> list[Manifest]:
    """Every valid manifest under plugins_dir; a bad one is logged and skipped."""
    found: list[Manifest] = []
    seen: dict[str, Path] = {}
    for path in sorted(plugins_dir.glob(f"*/{MANIFEST_NAME}")):
        try:
            manifest = read_manifest(path)
        except ManifestError as exc:
            log.warning("skipped plugin: %s", exc)
            continue
        if manifest.key in seen:
            log.warning(
                "skipped plugin: %s: id %r is already used by %s",
                path,
                manifest.key,
                seen[manifest.key],
            )
            continue
        seen[manifest.key] = path
        found.append(manifest)
    return found
