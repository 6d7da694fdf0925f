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


EXAMPLES = Path(__file__).resolve().parents[3] / "resources" / "example-plugins"


def test_every_example_plugin_has_a_valid_manifest() -> None:
    found = discover(EXAMPLES)
    assert found.invalid == {}
    assert sorted(m.key for m in found.manifests) == [
        "billing",
        "crasher",
        "memory-leaker",
        "metrics-pusher",
        "web-service",
    ]


def test_the_run_table_with_the_guides_settings(tmp_path: Path) -> None:
    manifest = read_manifest(
        write(
            tmp_path / "web",
            "[run]\ncommand = 'python3 -m http.server 8080'\nrestart = 'always'\n"
            "env = { APP_MODE = 'prod' }\n[limits]\nmemory_mb = 512\n"
            "[settings]\nmax_workers = 4\ncache_size = 1000\ntimeout = 30\nbatch_size = 100\n"
            "connection_pool = 10\nverbose = true\n",
        )
    )
    supervision = manifest.supervision
    assert supervision is not None
    assert supervision.run.command == ("python3", "-m", "http.server", "8080")
    assert supervision.limits is not None and supervision.limits.memory_mb == 512
    assert supervision.environment("/x/config") == {
        "APP_MODE": "prod",
        "PLUGIN_MAX_WORKERS": "4",
        "PLUGIN_CACHE_SIZE": "1000",
        "PLUGIN_TIMEOUT": "30",
        "PLUGIN_BATCH_SIZE": "100",
        "PLUGIN_CONNECTION_POOL": "10",
        "PLUGIN_VERBOSE": "true",
        "PLUGIN_CONFIG_DIR": "/x/config",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[run]\nrestart = 'no'\ncommand = ['x']\n",
            "run.restart must be one of never, on-failure, always, not 'no'",
        ),
        ("[run]\n", "run.command is missing"),
        (
            "[run]\ncommand = ['x']\nmax_restarts = -1\n",
            "run.max_restarts must be from 0 to 1000, not -1",
        ),
        (
            "[run]\ncommand = ['x']\ncwd = '../up'\n",
            "run.cwd must be a folder inside the plugin's folder",
        ),
        (
            "[run]\ncommand = ['x']\nstop_timeout_seconds = 'soon'\n",
            "run.stop_timeout_seconds must be a number",
        ),
        ("[run]\ncommand = ['x']\ncolour = 1\n", "[run] has unknown keys colour"),
        ("[health]\nurl = 'http://x'\n", "[health] needs a [run] table"),
        (
            "[run]\ncommand = ['x']\n[health]\nurl = 'ftp://x'\n",
            "health.url must be an http:// or https://",
        ),
        ("[run]\ncommand = ['x']\n[limits]\n", "[limits] needs memory_mb, cpu_percent or both"),
        (
            "[run]\ncommand = ['x']\n[settings]\nmax_workers = 'many'\n",
            "settings.max_workers must be a positive number",
        ),
        ("[run]\ncommand = ['x']\n[process]\npid = 1\n", "[process] and [run] exclude each other"),
    ],
)
def test_bad_run_tables_name_their_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ManifestError) as error:
        read_manifest(write(tmp_path / "p", text))
    assert message in str(error.value)
