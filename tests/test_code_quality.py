"""House rules as tests: ruff lint and format, mypy on the core."""

from __future__ import annotations

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
