"""Log files on a full disk: one line when lines start being dropped and one
when they are written again, never a traceback for each."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def test_a_log_file_that_cannot_be_written_says_so_once(tmp_path: Path) -> None:
    """/dev/full answers every write with ENOSPC, as a full disk does."""
    script = textwrap.dedent(
        """
        import logging, sys
        from desktop_app.logs import OwnerOnlyRotatingFileHandler

        handler = OwnerOnlyRotatingFileHandler("/dev/full", "a", 0, 0, "utf-8")
        log = logging.getLogger("plugin_monitor.test")
        log.addHandler(handler)
        for n in range(50):
            log.error("write %d", n)
        handler.stream = open(sys.argv[1], "a", encoding="utf-8")
        log.error("the disk has room again")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "system.log")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert "--- Logging error ---" not in done.stderr and "Traceback" not in done.stderr
    assert len(lines) == 2, lines
    assert lines[0].startswith("plugin-monitor: cannot write /dev/full (")
    assert "No space left on device" in lines[0] and "dropped until it can be written" in lines[0]
    assert lines[1].endswith("is written again; 50 log line(s) were dropped")
    assert (tmp_path / "system.log").read_text().strip() == "the disk has room again"
