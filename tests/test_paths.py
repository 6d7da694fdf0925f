"""The data folder: where it is and what the first start puts in it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from desktop_app.errors import OperatorError
from desktop_app.paths import ENV_HOME, DataPaths, resolve_data_dir


def test_cli_beats_environment_beats_platform_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "cli") == tmp_path / "cli"
    assert resolve_data_dir(None) == tmp_path / "env"
    monkeypatch.delenv(ENV_HOME)
    assert resolve_data_dir(None).name == "plugin-monitor"


def test_prepare_lays_out_the_folder(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    paths.prepare()
    for folder in ("config", "logs", "logs/plugins", "plugins", "backups"):
        assert (tmp_path / "data" / folder).is_dir()
    assert paths.database == tmp_path / "data" / "plugin_monitoring.db"


def test_a_folder_that_cannot_be_created_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(OperatorError, match=r"a-file/data: cannot create folder: Not a directory"):
        DataPaths(blocker / "data").prepare()


def test_the_data_folder_is_the_owners_alone(tmp_path: Path) -> None:
    loose = tmp_path / "data"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    DataPaths(loose).prepare()
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700
    fresh = tmp_path / "fresh"
    DataPaths(fresh).prepare()
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700


def test_files_left_open_to_others_are_tightened_and_said_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = DataPaths(tmp_path / "data")
    paths.prepare()
    loose = [
        paths.settings_file,
        paths.logging_conf,
        paths.lock_file,
        paths.logs_dir / "system.log",
    ]
    for file in loose:
        file.write_text("x")
        file.chmod(0o644)
    paths.prepare()
    assert [stat.S_IMODE(file.stat().st_mode) for file in loose] == [0o600] * 4
    said = [r.getMessage() for r in caplog.records if "readable by others" in r.getMessage()]
    assert len(said) == 4 and all("mode 644" in line for line in said)
