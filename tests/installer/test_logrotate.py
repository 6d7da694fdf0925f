"""The logrotate file does what its comments say, run by the real logrotate."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers import require_tools

LOGROTATE = Path(__file__).resolve().parents[2] / "installer" / "logrotate" / "plugin_monitoring"
DEFAULT_LOGS = "/home/*/.local/share/plugin-monitor/logs/"


def test_the_logrotate_file_rotates_a_held_log_by_copy_and_leaves_the_audit_alone(
    tmp_path: Path,
) -> None:
    require_tools("logrotate")
    logs = tmp_path / "logs"
    logs.mkdir(mode=0o700)
    config = tmp_path / "plugin_monitoring"
    config.write_text(LOGROTATE.read_text().replace(DEFAULT_LOGS, f"{logs}/"))
    big = logs / "system.log"
    big.write_bytes(b"x" * (11 * 1024 * 1024))  # over its 10 MB
    small = logs / "notifications.log"
    small.write_text("one line\n")
    audit = logs / "audit.log"
    audit.write_bytes(b"{}\n" * 4_000_000)
    with big.open("ab") as held:  # the monitor holds its log open while rotating
        subprocess.run(
            ["logrotate", "--state", str(tmp_path / "state"), str(config)],
            check=True,
            capture_output=True,
        )
        held.write(b"after\n")
    assert (logs / "system.log.1").stat().st_size == 11 * 1024 * 1024, "copied, not moved"
    assert big.read_bytes() == b"after\n", "truncated in place: the held file keeps logging"
    assert not (logs / "notifications.log.1").exists(), "small and young: left alone"
    assert audit.stat().st_size == 12_000_000 and not (logs / "audit.log.1").exists()
