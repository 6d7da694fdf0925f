"""Installing from a path: the plugin's folder is found before anything is
read, so a wrong path is refused at once, never walked."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.services.plugins.installer import InstallError, install_plugin


@pytest.mark.parametrize("wrong", ["/", "/proc", "/usr"])
def test_a_folder_without_a_manifest_is_refused_at_once(tmp_path: Path, wrong: str) -> None:
    (tmp_path / "plugins").mkdir()
    with pytest.raises(
        InstallError, match=f"^{wrong}: no plugin.toml at its top or in its one folder$"
    ):
        install_plugin(Path(wrong), tmp_path / "plugins")
    assert list((tmp_path / "plugins").iterdir()) == []


def test_a_link_inside_the_plugin_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "linked"
    source.mkdir()
    (source / "plugin.toml").write_text('name = "Linked"\n', encoding="utf-8")
    (source / "secret").symlink_to("/etc/hostname")
    (tmp_path / "plugins").mkdir()
    with pytest.raises(InstallError, match="links are not installed"):
        install_plugin(source, tmp_path / "plugins")
