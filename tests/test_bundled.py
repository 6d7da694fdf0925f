"""The shipped files are found in each layout: source tree, wheel, bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desktop_app import bundled


def test_the_source_tree_has_every_shipped_file() -> None:
    assert bundled.resources() == bundled.PACKAGE.parent / "resources"
    for path in (bundled.translation("ko"), bundled.chime(), bundled.desktop_entry()):
        assert path.is_file(), path


def test_a_frozen_bundle_reads_its_own_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "resources" / "translations").mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert (
        bundled.translation("ko")
        == tmp_path / "resources" / "translations" / "plugin_monitor_ko.qm"
    )
    assert bundled.this_program() == [sys.executable]


def test_from_a_venv_the_program_is_this_python_with_the_package() -> None:
    assert bundled.this_program() == [sys.executable, "-m", "desktop_app"]
