"""A real full disk under a monitor being pushed to: 503 with the cause,
nothing stored damaged, and writing resumes by itself when space returns.

The disk is a 3 MB tmpfs: mounted directly where the tests run as root (CI
does), else in a child process of its own mount namespace (`unshare -rm`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.helpers import small_disk

# A full disk under the SQLite file (PostgreSQL's disk is the server's).
pytestmark = pytest.mark.sqlite_only

DISK_KB = 3072
ROOT = Path(__file__).resolve().parents[3]


def scenario(disk: Path) -> None:
    """Run on a small disk mounted at `disk`; raises AssertionError on a fault."""
    from tests.services.api.conftest import make_keys, open_api_monitor

    room = disk / "room-to-free"
    room.write_bytes(b"\0" * 1024 * 1024)  # what the operator deletes to make room
    monitor = open_api_monitor(disk / "data")
    keys = make_keys(monitor)
    monitor.start(monitoring=False)
    try:
        assert monitor.api is not None
        base = f"http://127.0.0.1:{monitor.api.ports['API']}"
        with httpx.Client(base_url=base, timeout=60) as client:
            pushed = full_then_freed(client, keys.operator, keys.admin, room)
        monitor.writer.run_job(lambda _conn: None).result(10)
        with sqlite3.connect(monitor.paths.database) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            query = "SELECT count(*) FROM samples_readable WHERE plugin = 'app'"
            assert conn.execute(query).fetchone()[0] == pushed, "every acknowledged push stored"
    finally:
        monitor.stop()


def full_then_freed(client: httpx.Client, operator: str, admin: str, room: Path) -> int:
    """Push until the disk is full, then free space and push again; the
    number of pushes acknowledged."""
    push_as = {"Authorization": f"Bearer {operator}"}
    admin_as = {"Authorization": f"Bearer {admin}"}
    registered = client.post(
        "/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"}, headers=push_as
    )
    assert registered.status_code == 201, registered.text
    acknowledged, answer = 0, None
    for n in range(20_000):
        body = {"plugin_id": "app", "metrics": {"cpu_usage": float(n % 90), "memory_usage": 1.0}}
        answer = client.post("/api/advanced-monitoring/update-metrics", json=body, headers=push_as)
        if answer.status_code != 200:
            break
        acknowledged += 1
    assert answer is not None and answer.status_code == 503, "the disk filled"
    assert (
        answer.json()["detail"] == "the disk holding the database is full; nothing new was stored"
    )
    room.unlink()
    for n in range(300):
        body = {"plugin_id": "app", "metrics": {"cpu_usage": float(n % 90)}}
        answer = client.post("/api/advanced-monitoring/update-metrics", json=body, headers=push_as)
        assert answer.status_code == 200, f"push {n} after space returned: {answer.text}"
        acknowledged += 1
    health = client.get("/api/system/health", headers=admin_as).json()
    assert (health["status"], health["problems"]) == ("ok", []), "well again once writes succeed"
    return acknowledged


@pytest.mark.expect_log_warnings  # "write failed: the disk … is full", as it should
def test_a_full_disk_gives_503_and_writing_resumes_when_space_returns(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    if os.geteuid() == 0:
        with small_disk(disk, DISK_KB):
            scenario(disk)
        return
    disk.mkdir()
    if shutil.which("unshare") is None:
        fail_or_skip("needs root or unshare to mount a small tmpfs (CI runs as root)")
    mounted = subprocess.run(
        [
            "unshare",
            "-rm",
            "sh",
            "-c",
            f'mount -t tmpfs -o size={DISK_KB}k tmpfs "$1" && exec "$2" -c "$3" "$1"',
            "sh",
            str(disk),
            sys.executable,
            "import sys; from pathlib import Path; "
            "from tests.services.api.test_full_disk import scenario; scenario(Path(sys.argv[1]))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if "unshare failed" in mounted.stderr or "mount:" in mounted.stderr:
        fail_or_skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()[:200]}")
    assert mounted.returncode == 0, mounted.stderr[-3000:]


def fail_or_skip(reason: str) -> None:
    if os.environ.get("PLUGIN_MONITOR_CI") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)
