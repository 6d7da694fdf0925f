"""Make the operator guides (docs/operator-guide.en.md and .ko.md) from their
templates in docs/guide/, with each command's real output.

    .venv/bin/python scripts/operator_guide.py           # run the commands, write both
    .venv/bin/python scripts/operator_guide.py --check   # exit 1: a guide is not current

A ```run block in a template holds one shell command (it may span lines). The
script starts `plugin-monitor serve` on a new data folder on the default ports
(5000 and 8765, so the commands read as an operator types them), runs each
block with bash in that folder, with `$TOKEN` an admin key, and writes it as a
```console block: the command after `$ `, then what it printed. A first line
`#! lines=N` keeps N lines of output (20 by default). In the output, the data
folder reads `~/.local/share/plugin-monitor` and API keys `pm_…`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "docs" / "guide"
LANGUAGES = ("en", "ko")
RUN_BLOCK = re.compile(r"```run\n(.*?)```\n", re.S)
KEY = re.compile(r"pm_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")
SHOWN_HOME = "~/.local/share/plugin-monitor"
DEFAULT_LINES = 20


def template(language: str) -> Path:
    return TEMPLATES / f"operator-guide.{language}.md"


def guide(language: str) -> Path:
    return ROOT / "docs" / f"operator-guide.{language}.md"


def _lines_kept(block: str) -> tuple[str, int]:
    first, _, rest = block.partition("\n")
    found = re.fullmatch(r"#! lines=(\d+)", first.strip())
    return (rest, int(found.group(1))) if found else (block, DEFAULT_LINES)


def _shown(command: str, output: str, kept: int) -> str:
    lines = output.rstrip("\n").splitlines()
    if len(lines) > kept:
        lines = [*lines[:kept], f"… ({len(lines) - kept} more lines)"]
    prompt = "\n".join(
        ("$ " if i == 0 else "> ") + line
        for i, line in enumerate(command.rstrip("\n").splitlines())
    )
    body = "\n".join(lines)
    return f"```console\n{prompt}\n{body}\n```\n" if body else f"```console\n{prompt}\n```\n"


class Session:
    """A monitor of its own, and the commands run against it."""

    def __init__(self, home: Path) -> None:
        self.home = home
        bin_dir = str(Path(sys.executable).parent)
        self.env = {
            **os.environ,
            "PLUGIN_MONITOR_HOME": str(home),
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
        }
        self.outputs: dict[str, str] = {}

    def start(self) -> subprocess.Popen[str]:
        serve = subprocess.Popen(
            ["plugin-monitor", "serve"],
            env=self.env,
            cwd=self.home,
            text=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        log = self.home / "logs" / "system.log"
        while not (log.exists() and "monitor started" in log.read_text(encoding="utf-8")):
            if serve.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(
                    "plugin-monitor serve did not start (is port 5000 or 8765 in use?)"
                )
            time.sleep(0.2)
        made = subprocess.run(
            ["plugin-monitor", "keys", "create", "--role", "admin", "--name", "guide"],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        self.env["TOKEN"] = made.stdout.strip()
        return serve

    def run(self, command: str) -> str:
        if command not in self.outputs:
            done = subprocess.run(
                ["bash", "-c", command],
                env=self.env,
                cwd=self.home,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,  # in the order a terminal shows them
                text=True,
                timeout=120,
                check=False,
            )
            text = KEY.sub("pm_…", done.stdout.replace(str(self.home), SHOWN_HOME))
            self.outputs[command] = text
            print(f"ran: {command.splitlines()[0][:90]}", file=sys.stderr)
        return self.outputs[command]


def render(text: str, session: Session) -> str:
    def replace(match: re.Match[str]) -> str:
        command, kept = _lines_kept(match.group(1))
        return _shown(command, session.run(command), kept)

    return RUN_BLOCK.sub(replace, text)


def commands_in(text: str, *, template: bool) -> list[str]:
    """The commands of a template's run blocks, or of a guide's console
    blocks (their `$ ` and `> ` lines), to see that one was made from the other."""
    if template:
        return [_lines_kept(block)[0].rstrip("\n") for block in RUN_BLOCK.findall(text)]
    return [
        "\n".join(line[2:] for line in block.splitlines() if line[:2] in ("$ ", "> "))
        for block in re.findall(r"```console\n(.*?)```\n", text, re.S)
    ]


def prose(text: str) -> str:
    """The text around the commands: a template's with its run blocks taken
    out, or a guide's with its console blocks taken out."""
    return re.sub(r"```(?:run|console)\n.*?```\n", "", text, flags=re.S)


def current(language: str) -> bool:
    if not guide(language).exists():
        return False
    wanted = template(language).read_text(encoding="utf-8")
    made = guide(language).read_text(encoding="utf-8")
    return prose(wanted) == prose(made) and commands_in(wanted, template=True) == commands_in(
        made, template=False
    )


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = [
            str(guide(language).relative_to(ROOT))
            for language in LANGUAGES
            if not current(language)
        ]
        if stale:
            print(
                f"{', '.join(stale)}: not made from the current template; "
                "run: python scripts/operator_guide.py",
                file=sys.stderr,
            )
            return 1
        return 0
    with tempfile.TemporaryDirectory(prefix="plugin-monitor-guide-") as folder:
        session = Session(Path(folder))
        serve = session.start()
        try:
            for language in LANGUAGES:
                written = render(template(language).read_text(encoding="utf-8"), session)
                guide(language).write_text(written, encoding="utf-8")
                print(f"{guide(language).relative_to(ROOT)} written")
        finally:
            serve.terminate()
            serve.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
