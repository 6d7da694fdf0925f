"""A wheel built with `python -m build` (sdist first, then the wheel from it)
and installed, not editable, into a fresh venv carries the compiled Korean
translation: the installed console starts in Korean.

The fresh venv gets the wheel alone (`--no-deps`); its dependencies come from
this test's own environment through a path file, which adds their folder
without running its `.pth` files, so this checkout's editable install is not
visible there. (Downloading PySide6 again would add about a minute.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.helpers import log_says, quits_cleanly, wait_until

ROOT = Path(__file__).resolve().parents[2]


def _venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def test_the_installed_wheel_starts_the_console_in_korean(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("plugin_monitor-*.whl")
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [_venv_python(venv), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    site = subprocess.run(
        [_venv_python(venv), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = Path(site) / "desktop_app" / "resources" / "translations" / "plugin_monitor_ko.qm"
    assert installed.is_file()

    data = tmp_path / "data"
    (data / "config").mkdir(parents=True)
    (data / "config" / "settings.toml").write_text("[api]\nenabled = false\n")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")
    }
    log = data / "logs" / "system.log"
    with quits_cleanly(
        [str(venv / "bin" / "plugin-monitor"), "--data-dir", str(data)],
        {**env, "LANG": "ko_KR.UTF-8", "QT_QPA_PLATFORM": "offscreen"},
        cwd=tmp_path,
    ):
        wanted = f"console language ko, from {installed}"
        wait_until(log_says(log, wanted), 30, "the installed console loads its Korean translation")
        wait_until(log_says(log, "monitor started"), 30, "the console starts its monitor")
