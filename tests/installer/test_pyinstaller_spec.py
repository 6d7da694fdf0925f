"""The frozen build is slow (about a minute), so the suite checks its spec
instead: it bundles every folder of resources/ the application loads from,
and its entry point runs `freeze_support()` before the command line."""

from __future__ import annotations

import ast
from pathlib import Path

from desktop_app import bundled

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "pyinstaller" / "plugin-monitor.spec"
LAUNCHER = ROOT / "installer" / "pyinstaller" / "launcher.py"


def _bundled_folders() -> set[str]:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "BUNDLED_FOLDERS"
            for target in node.targets
        ):
            return set(ast.literal_eval(node.value))
    raise AssertionError("the spec has no BUNDLED_FOLDERS")


def test_the_spec_bundles_every_file_the_application_loads() -> None:
    resources = bundled.resources()
    loaded = [
        bundled.translation("ko"),
        bundled.chime(),
        bundled.desktop_entry(),
        bundled.example_plugins() / "billing" / "plugin.toml",
        *bundled.icon("hicolor").glob("*/apps/plugin-monitor.*"),
    ]
    folders = _bundled_folders()
    for path in loaded:
        assert path.is_file(), path
        assert path.relative_to(resources).parts[0] in folders, f"{path} is not bundled"


def test_the_spec_bundles_every_folder_of_resources() -> None:
    """A folder added to resources/ is added to the bundle too, or the frozen
    application would miss what the source tree has."""
    present = {path.name for path in bundled.resources().iterdir() if path.is_dir()}
    assert _bundled_folders() == present


def test_the_frozen_entry_point_calls_freeze_support_before_the_command_line() -> None:
    source = LAUNCHER.read_text(encoding="utf-8")
    assert source.index("multiprocessing.freeze_support()") < source.index(
        "raise SystemExit(main())"
    )
