"""The operator guides (docs/operator-guide.en.md and .ko.md) are made from
their templates by running every command, and what they name exists: each
`plugin-monitor` command line parses, each API path is a route."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli import build_parser
from desktop_app.services.api.app import schema_app

ROOT = Path(__file__).resolve().parent.parent
GUIDES = [ROOT / "docs" / f"operator-guide.{language}.md" for language in ("en", "ko")]
TEMPLATES = [ROOT / "docs" / "guide" / path.name for path in GUIDES]
ORIGINAL = ROOT / "docs" / "admin-guide.ko.md"


def _headings(path: Path, level: str) -> list[str]:
    return re.findall(rf"^{level} (.+)$", path.read_text(encoding="utf-8"), re.M)


def test_the_guides_are_made_from_their_current_templates() -> None:
    checked = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "operator_guide.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_both_languages_give_the_same_commands_in_the_same_chapters() -> None:
    english, korean = TEMPLATES
    assert len(_headings(english, "##")) == len(_headings(korean, "##"))
    assert len(_headings(english, "###")) == len(_headings(korean, "###"))
    runs = [
        re.findall(r"```run\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
        for path in TEMPLATES
    ]
    assert runs[0] == runs[1] and len(runs[0]) >= 30


def test_the_korean_guide_follows_the_original_chapters() -> None:
    ours = _headings(GUIDES[1], "##")
    original = [h for h in _headings(ORIGINAL, "##") if h != "연락처 및 지원"]  # no phone line here
    assert [h.split()[0] for h in ours] == [h.split()[0] for h in original]


def test_no_command_in_the_guides_failed_when_they_were_made() -> None:
    for guide in GUIDES:
        text = guide.read_text(encoding="utf-8")
        for block in re.findall(r"```console\n(.*?)```", text, re.S):
            assert "Traceback" not in block and "plugin-monitor: error" not in block, block


def _command_lines(text: str) -> list[str]:
    """The command lines of console blocks (after `$ ` or `> `; the rest is
    output), every line of text blocks, and inline `plugin-monitor …` code."""
    consoles = re.findall(r"```console\n(.*?)```", text, re.S)
    typed = [
        line[2:] for block in consoles for line in block.splitlines() if line[:2] in ("$ ", "> ")
    ]
    texts = [
        line
        for block in re.findall(r"```text\n(.*?)```", text, re.S)
        for line in block.splitlines()
    ]
    inline = re.findall(r"`(plugin-monitor [^`]+)`", text)
    return [line for line in typed + texts + inline if line.startswith("plugin-monitor ")]


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_every_plugin_monitor_command_in_the_guide_parses(guide: Path) -> None:
    parser = build_parser()
    commands = _command_lines(guide.read_text(encoding="utf-8"))
    assert len(commands) > 20
    for command in commands:
        words = shlex.split(command.split("|")[0].split("#")[0].split("&&")[0])[1:]
        words = [word for word in words if word != "…"]
        if not words or (words[0].startswith("-") and words[0] not in ("--help", "--version")):
            words = ["gui", *words]
        if words[0] in ("--help", "--version"):
            continue
        try:
            parser.parse_args(words)
        except SystemExit:
            pytest.fail(f"{guide.name}: `{command}` is not a command line plugin-monitor takes")


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_every_api_path_in_the_guide_is_a_route(guide: Path) -> None:
    routes = [
        re.compile("^" + re.sub(r"\{[^}]+\}", r"[^/]+", path) + "$")
        for path in schema_app().openapi()["paths"]
    ]
    paths = set(re.findall(r"localhost:5000(/api/[^\s\"'?]+)", guide.read_text(encoding="utf-8")))
    assert len(paths) > 10
    for path in paths:
        assert any(route.match(path) for route in routes), path
