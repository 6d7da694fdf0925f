"""`plugin-monitor self-check`, run as the operator runs it: each item ok,
a note, or a failure with its fix; exit 1 on any failure."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

from desktop_app.services.backup.archive import backup_name
from tests.cli.test_follow import CLI, free_port


def _check(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), "self-check", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        check=False,
    )


def _settings(data_dir: Path, text: str) -> None:
    (data_dir / "config").mkdir(parents=True, exist_ok=True)
    (data_dir / "config" / "settings.toml").write_text(text, encoding="utf-8")


def _line(output: str, item: str) -> str:
    return next(line for line in output.splitlines() if f"  {item}  " in line + "  ")


def test_a_ready_machine_passes_offscreen(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _settings(data_dir, f"[api]\nport = {free_port()}\nws_port = {free_port()}\n")
    checked = _check(data_dir)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    out = checked.stdout
    assert out.rstrip().endswith("ready")
    for item in ("data folder", "settings", "database", "API port", "WebSocket port", "TLS"):
        assert _line(out, item).startswith("ok"), out
    assert _line(out, "Qt platform").startswith("ok") and "offscreen loads" in out
    assert _line(out, "tray").startswith("note"), "no tray offscreen: said, not failed"
    assert _line(out, "backups").startswith("note") and "plugin-monitor backup" in out


def test_every_failure_is_named_with_its_fix_and_fails_the_check(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        _settings(
            data_dir,
            f"[api]\nport = {port}\nws_port = {free_port()}\n"
            f'ssl_cert = "{tmp_path / "missing.pem"}"\nssl_key = "{tmp_path / "missing.key"}"\n'
            "[backup]\ninterval_hours = 1\n",
        )
        (data_dir / "plugin_monitoring.db").write_bytes(b"not a database" * 100)
        backups = data_dir / "backups"
        backups.mkdir()
        (backups / backup_name(time.time() - 5 * 3600)).write_bytes(b"old")
        checked = _check(data_dir)
    out = checked.stdout
    assert checked.returncode == 1, out
    assert "settings set api.port PORT" in _line(out, "API port")
    assert _line(out, "database").startswith("FAIL") and "plugin-monitor restore" in out
    assert "does not exist" in _line(out, "TLS")
    assert "5 h old (one is due every 1 h)" in _line(out, "backups")
    assert out.rstrip().endswith("4 of 10 items need fixing"), out


def test_a_server_without_a_display_is_told_so_without_failing(tmp_path: Path) -> None:
    """Where nothing names a display, only the console cannot open; the service
    needs none, so that is a note and not a failure."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    checked = subprocess.run(
        [str(CLI), "self-check", "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert _line(checked.stdout, "Qt platform").startswith("note")
    assert "`plugin-monitor serve` needs none" in checked.stdout
