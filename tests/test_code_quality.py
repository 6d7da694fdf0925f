"""House rules as tests: ruff lint and format, mypy on the core."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def check(*command: str) -> None:
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_lint() -> None:
    check(str(BIN / "ruff"), "check", "desktop_app", "tests", "scripts", "benchmarks")


def test_ruff_format() -> None:
    check(str(BIN / "ruff"), "format", "--check", "desktop_app", "tests", "scripts", "benchmarks")


def test_mypy_on_the_core() -> None:
    check(str(BIN / "mypy"))


def lint_imports(package_root: Path) -> subprocess.CompletedProcess[str]:
    """import-linter's contracts (pyproject.toml) over the package found at
    `package_root`, this checkout's by default."""
    return subprocess.run(
        [str(BIN / "lint-imports"), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=package_root,
        env={"PYTHONPATH": str(package_root), "PATH": str(BIN)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_import_contracts_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_import_contracts_catch_a_qt_import_reached_through_another_module(
    tmp_path: Path,
) -> None:
    """A scratch copy in which the core reaches Qt only through a new helper
    module, and storage reaches up into analytics: both contracts break."""
    shutil.copytree(ROOT / "desktop_app", tmp_path / "desktop_app")
    helper = tmp_path / "desktop_app" / "paths_helper.py"
    helper.write_text("from PySide6 import QtCore  # noqa\n", encoding="utf-8")
    with (tmp_path / "desktop_app" / "models" / "samples.py").open("a", encoding="utf-8") as f:
        f.write("\nfrom desktop_app import paths_helper  # noqa\n")
    with (tmp_path / "desktop_app" / "services" / "storage" / "samples.py").open(
        "a", encoding="utf-8"
    ) as f:
        f.write("\nfrom desktop_app.services.analytics import trends  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "0 kept, 2 broken" in result.stdout
    assert "desktop_app.models.samples -> desktop_app.paths_helper" in result.stdout
    assert "desktop_app.services.storage.samples -> desktop_app.services.analytics" in (
        result.stdout.replace("\n", " ")
    )
