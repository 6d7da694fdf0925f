"""plugin.toml manifests: defaults, validation, one bad plugin never hides the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.models.plugins import ProcessSpec
from desktop_app.services.plugins.manifest import ManifestError, discover, read_manifest


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    path = folder / "plugin.toml"
    path.write_text(text)
    return path


def test_id_and_name_default_to_the_folder(tmp_path: Path) -> None:
    manifest = read_manifest(write(tmp_path / "billing", ""))
    assert (manifest.key, manifest.name, manifest.process) == ("billing", "billing", None)


def test_process_by_name_or_pid(tmp_path: Path) -> None:
    by_name = read_manifest(write(tmp_path / "a", 'name = "A"\n[process]\nname = "nginx"\n'))
    by_pid = read_manifest(write(tmp_path / "b", 'id = "bee"\n[process]\npid = 42\n'))
    assert by_name.process == ProcessSpec(name="nginx")
    assert (by_pid.key, by_pid.process) == ("bee", ProcessSpec(pid=42))
    by_line = read_manifest(write(tmp_path / "c", '[process]\ncmdline = "*billing_worker.py*"\n'))
    assert by_line.process == ProcessSpec(cmdline="*billing_worker.py*")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id = 'has space'\n", "plugin id 'has space' is not allowed"),
        ("[process]\npid = -1\n", "process.pid must be a positive whole number"),
        ("[process]\nexe = 'x'\n", "[process] takes one of pid = <number>, name = <whole"),
        ("[process]\npid = 1\nname = 'x'\n", "[process] takes one of"),
        ("[process]\ncmdline = '**'\n", "process.cmdline must be a glob with more than stars"),
        ("colour = 'blue'\n", "unknown keys colour"),
        ("id = \n", "not valid TOML"),
    ],
)
def test_bad_manifests_name_the_file_and_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path / "p", text)
    with pytest.raises(ManifestError) as error:
        read_manifest(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_discover_skips_bad_and_duplicate_plugins_and_keeps_the_rest(tmp_path: Path) -> None:
    write(tmp_path / "good", 'name = "Good"\n')
    write(tmp_path / "broken", "id = \n")
    write(tmp_path / "twin", 'id = "good"\n')
    (tmp_path / "no-manifest").mkdir()
    found = discover(tmp_path)
    assert [m.key for m in found.manifests] == ["good"]
    assert sorted(found.invalid) == ["broken", "twin"]
    assert "broken/plugin.toml: not valid TOML" in found.invalid["broken"]
    assert "id 'good' is already used" in found.invalid["twin"]
