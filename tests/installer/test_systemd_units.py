"""The systemd units pass `systemd-analyze verify`, with a stub in place of
the installed program, and keep the hardening the issue asks for."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import require_tools

UNITS = Path(__file__).resolve().parents[2] / "installer" / "systemd"
HARDENING = ("NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=")


def _with_stub_program(unit: Path, folder: Path) -> Path:
    stub = folder / "plugin-monitor"
    stub.write_text("#!/bin/sh\n")
    stub.chmod(0o755)
    lines = unit.read_text(encoding="utf-8").splitlines()
    copy = folder / unit.name
    copy.write_text(
        "\n".join(
            f"ExecStart={stub} serve" if line.startswith("ExecStart=") else line for line in lines
        )
        + "\n"
    )
    return copy


@pytest.mark.parametrize("scope", ["system", "user"])
def test_systemd_analyze_verifies_the_unit(scope: str, tmp_path: Path) -> None:
    require_tools("systemd-analyze")
    unit = _with_stub_program(UNITS / scope / "plugin-monitor.service", tmp_path)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    command = ["systemd-analyze", *(["--user"] if scope == "user" else []), "verify", "--man=no"]
    checked = subprocess.run(
        [*command, str(unit)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == "", "a line systemd ignores is a line that does not protect"


@pytest.mark.parametrize("scope", ["system", "user"])
def test_the_unit_is_hardened_and_stops_cleanly(scope: str) -> None:
    settings = (UNITS / scope / "plugin-monitor.service").read_text(encoding="utf-8").splitlines()
    for wanted in HARDENING:
        assert any(line.startswith(wanted) for line in settings), wanted
    assert "KillSignal=SIGTERM" in settings and "TimeoutStopSec=20" in settings
    assert any(line.startswith("ExecStart=") and line.endswith(" serve") for line in settings)


def test_a_unit_with_a_missing_program_is_refused(tmp_path: Path) -> None:
    """The verification can fail: without the stub, the program is not there."""
    require_tools("systemd-analyze")
    unit = tmp_path / "plugin-monitor.service"
    text = (UNITS / "system" / "plugin-monitor.service").read_text(encoding="utf-8")
    unit.write_text(
        text.replace("/opt/plugin-monitor/bin/plugin-monitor", str(tmp_path / "nothing"))
    )
    checked = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode != 0 and "is not executable" in checked.stderr
