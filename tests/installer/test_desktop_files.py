"""The desktop entry and AppStream metainfo pass the freedesktop validators,
and install-desktop.sh puts them, and the icons, where menus look."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from desktop_app import bundled
from tests.helpers import require_tools

ROOT = Path(__file__).resolve().parents[2]
INSTALL = ROOT / "installer" / "install-desktop.sh"
DESKTOP = bundled.desktop_entry()
METAINFO = DESKTOP.with_name(f"{bundled.DESKTOP_ID}.metainfo.xml")


def _run(
    *command: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_desktop_file_validate_accepts_the_desktop_entry() -> None:
    require_tools("desktop-file-validate")
    checked = _run("desktop-file-validate", DESKTOP)
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout + checked.stderr


def test_appstreamcli_accepts_the_metainfo() -> None:
    require_tools("appstreamcli")
    checked = _run("appstreamcli", "validate", "--no-net", METAINFO)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "E:" not in checked.stdout and "W:" not in checked.stdout, checked.stdout


def test_the_desktop_entry_and_the_metainfo_name_the_same_application() -> None:
    text = METAINFO.read_text(encoding="utf-8")
    assert f"<id>{bundled.DESKTOP_ID}</id>" in text
    assert f'<launchable type="desktop-id">{DESKTOP.name}</launchable>' in text
    assert "Icon=plugin-monitor\n" in DESKTOP.read_text(encoding="utf-8")


def test_every_icon_size_is_rendered_from_the_svg() -> None:
    from PySide6.QtGui import QImage

    hicolor = bundled.icon("hicolor")
    assert (hicolor / "scalable" / "apps" / "plugin-monitor.svg").is_file()
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        image = QImage(str(hicolor / f"{size}x{size}" / "apps" / "plugin-monitor.png"))
        assert (image.width(), image.height()) == (size, size)


def test_install_desktop_installs_for_this_user_and_uninstall_removes_it(tmp_path: Path) -> None:
    require_tools("desktop-file-validate")
    data = tmp_path / "share with space"
    program = tmp_path / "my apps" / "plugin-monitor"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    env = {"XDG_DATA_HOME": str(data)}

    installed = _run(INSTALL, "--exec", program, env=env)

    assert installed.returncode == 0, installed.stderr
    entry = data / "applications" / DESKTOP.name
    assert f'Exec="{program}"\n' in entry.read_text(encoding="utf-8")
    checked = _run("desktop-file-validate", entry)
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout
    assert (data / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / "plugin-monitor.png").is_file()

    removed = _run(INSTALL, "--uninstall", env=env)

    assert removed.returncode == 0, removed.stderr
    assert not entry.exists() and not (data / "metainfo" / METAINFO.name).exists()
    assert not list((data / "icons").rglob("plugin-monitor.*"))


def test_install_desktop_refuses_a_program_that_is_not_there(tmp_path: Path) -> None:
    refused = _run(INSTALL, "--exec", tmp_path / "nothing", env={"XDG_DATA_HOME": str(tmp_path)})
    assert refused.returncode == 2
    assert (
        refused.stderr.strip()
        == f"install-desktop: {tmp_path / 'nothing'} is not an executable program"
    )
    assert not (tmp_path / "applications").exists()
