"""`plugin-monitor alerts --follow` across a restart of the monitor: every
alert printed once, none lost."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from desktop_app.services.secrets import SecretName, SecretStore
from tests.certificates import make_certificate

CLI = Path(sys.executable).parent / "plugin-monitor"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(
    data_dir: Path, port: int, ws_port: int, tls: ssl.SSLContext | None = None
) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [
            str(CLI),
            "serve",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
            "--ws-port",
            str(ws_port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            scheme = "https" if tls else "http"
            health = httpx.get(f"{scheme}://127.0.0.1:{port}/api/system/health", verify=tls or True)
            if health.status_code == 200:
                return process
        except httpx.TransportError:
            pass
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline
        time.sleep(0.05)


class Lines:
    """Collects a process's output lines in the background.

    The host's own `system` plugin may raise alerts of its own while the test
    runs (a loaded machine); the follower and the check look at `app` only.
    """

    def __init__(self, stream: object, only: str = "") -> None:
        self.lines: list[str] = []
        self._only = only
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            if self._only in line:
                self.lines.append(line.rstrip("\n"))

    def wait_for(self, count: int, seconds: float = 20) -> list[str]:
        deadline = time.monotonic() + seconds
        while len(self.lines) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.lines)


def pusher(api: httpx.Client) -> Callable[..., None]:
    """Pushes metrics of the plugin `app`, each acknowledged."""

    def push(**metrics: float) -> None:
        response = api.post(
            "/api/advanced-monitoring/update-metrics",
            json={"plugin_id": "app", "metrics": metrics},
        )
        assert response.status_code == 200

    return push


def test_follow_prints_each_alert_once_across_a_restart(data_dir: Path) -> None:
    port, ws_port = free_port(), free_port()
    server = serve(data_dir, port, ws_port)
    token = subprocess.run(
        [str(CLI), "keys", "create", "--role", "operator", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    api = httpx.Client(
        base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"}
    )
    api.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})
    follower = subprocess.Popen(
        [
            str(CLI),
            "alerts",
            "--follow",
            "--data-dir",
            str(data_dir),
            "--url",
            f"ws://127.0.0.1:{ws_port}/",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PLUGIN_MONITOR_TOKEN": token},  # the documented way
    )
    out, err = Lines(follower.stdout, only=" app/"), Lines(follower.stderr)
    try:
        assert any("following alerts" in line for line in err.wait_for(1))

        push = pusher(api)

        push(cpu_usage=99)
        assert "CRITICAL raised app/cpu" in out.wait_for(1)[0]
        server.terminate()
        server.communicate(timeout=20)
        server = serve(data_dir, port, ws_port)
        push(cpu_usage=10)
        push(memory_usage=99)
        lines = out.wait_for(3)
        assert any("reconnecting" in line for line in err.lines)
    finally:
        stop(follower, server, api)
    assert printed_seqs(lines) == stored_seqs(data_dir) and len(lines) == 3


def stop(follower: subprocess.Popen[str], server: subprocess.Popen[str], api: httpx.Client) -> None:
    follower.terminate()
    follower.communicate(timeout=10)
    server.terminate()
    server.communicate(timeout=20)
    api.close()


def printed_seqs(lines: list[str]) -> list[int]:
    return [int(m.group(1)) for line in lines if (m := re.search(r"\(seq (\d+)\)$", line))]


def stored_seqs(data_dir: Path) -> list[int]:
    with sqlite3.connect(data_dir / "plugin_monitoring.db") as conn:
        return [
            row[0]
            for row in conn.execute(
                "SELECT e.seq FROM alert_events e JOIN alerts a ON a.id = e.alert_id "
                "JOIN plugins p ON p.id = a.plugin_id WHERE p.key = 'app' ORDER BY e.seq"
            )
        ]


def test_a_token_on_the_command_line_is_warned_of_and_a_token_file_is_read(
    tmp_path: Path,
) -> None:
    """Against a port nobody listens on: the warning and the file come first."""
    data = tmp_path / "data"
    unreachable = "ws://127.0.0.1:9/"
    shown = subprocess.Popen(
        [CLI, "alerts", "--follow", "--url", unreachable, "--token", "pm_x_y", "--data-dir", data],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert shown.stderr is not None
        first = shown.stderr.readline()  # before any attempt to connect
    finally:
        shown.terminate()
        shown.communicate(timeout=10)
    assert "--token shows the key to every user of this machine" in first
    missing = subprocess.run(
        [
            str(CLI),
            "alerts",
            "--follow",
            "--url",
            unreachable,
            "--token-file",
            str(tmp_path / "nope"),
            "--data-dir",
            str(data),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert missing.returncode == 2
    assert "nope: cannot be read: No such file or directory" in missing.stderr


PASSPHRASE = "guide passphrase 7"


def cli(*words: str | Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *map(str, words)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def command_lines() -> str:
    """Every process's command line, as `ps` shows them to any user."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
    return "\n".join(found)


def written_files(data_dir: Path) -> bytes:
    """The database (with its WAL), the logs and the settings, as stored. A
    file SQLite removes as a last connection closes (`-shm`, `-wal`) may go
    between the listing and the reading (a CI run met it): it is skipped."""
    found = []
    for path in data_dir.rglob("*"):
        if path.is_file() and "secrets" not in path.parts:
            with contextlib.suppress(FileNotFoundError):
                found.append(path.read_bytes())
    return b"".join(found)


def test_follow_with_no_key_over_tls_resumes_across_a_restart_and_no_secret_leaks(
    data_dir: Path, tmp_path: Path
) -> None:
    """The guide's set-up: a passphrase-protected key, its passphrase stored by
    the CLI and read by the monitor in another process; `alerts --follow` on
    the same machine with no key, no URL and no --cafile."""
    cert, key = make_certificate(tmp_path / "tls", PASSPHRASE)
    port, ws_port = free_port(), free_port()
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(
        f'[api]\nport = {port}\nws_port = {ws_port}\nssl_cert = "{cert}"\nssl_key = "{key}"\n'
    )
    wrong = cli("tls", "set-passphrase", "--data-dir", data_dir, stdin="nope\n")
    assert wrong.returncode == 2 and f"{key}: the passphrase from what you typed" in wrong.stderr
    stored = cli("tls", "set-passphrase", "--data-dir", data_dir, stdin=PASSPHRASE + "\n")
    assert stored.returncode == 0, stored.stderr
    trust = ssl.create_default_context(cafile=str(cert))
    server = serve(data_dir, port, ws_port, tls=trust)
    secret = SecretStore(data_dir).get(SecretName.LOCAL_ADMIN)
    assert secret is not None
    api = httpx.Client(
        base_url=f"https://127.0.0.1:{port}",
        headers={"Authorization": f"Bearer {secret}"},
        verify=trust,
    )
    api.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})
    follower = subprocess.Popen(
        [str(CLI), "alerts", "--follow", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = Lines(follower.stdout, only=" app/"), Lines(follower.stderr)
    try:
        assert any(f"wss://127.0.0.1:{ws_port}/" in line for line in err.wait_for(1))

        push = pusher(api)

        push(cpu_usage=99)
        assert "CRITICAL raised app/cpu" in out.wait_for(1)[0]
        running = command_lines()
        server.terminate()
        server.communicate(timeout=20)
        server = serve(data_dir, port, ws_port, tls=trust)
        push(cpu_usage=10)
        push(memory_usage=99)
        lines = out.wait_for(3)
        other = make_certificate(tmp_path / "other")[0]
        refused = cli("alerts", "--follow", "--data-dir", data_dir, "--cafile", other)
    finally:
        stop(follower, server, api)
    assert printed_seqs(lines) == stored_seqs(data_dir) and len(lines) == 3
    assert not any("refused" in line for line in err.lines)
    assert refused.returncode == 2
    assert re.search(
        r"the server's certificate was refused: self.signed certificate", refused.stderr
    )
    for value in (secret, PASSPHRASE):
        assert value not in running
        assert value.encode() not in written_files(data_dir)


def test_follow_without_a_key_goes_on_live_and_says_what_it_cannot_show(
    data_dir: Path, tmp_path: Path
) -> None:
    """Replay takes a key: a follower without one (another folder, no token)
    reconnects to live events only, and says so once."""
    port, ws_port = free_port(), free_port()
    server = serve(data_dir, port, ws_port)
    token = cli("keys", "create", "--role", "operator", "--data-dir", data_dir).stdout.strip()
    api = httpx.Client(
        base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"}
    )
    api.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})
    push = pusher(api)
    env = {k: v for k, v in os.environ.items() if k != "PLUGIN_MONITOR_TOKEN"}
    follower = subprocess.Popen(
        [
            str(CLI),
            "alerts",
            "--follow",
            "--data-dir",
            str(tmp_path / "elsewhere"),
            "--url",
            f"ws://127.0.0.1:{ws_port}/",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    out, err = Lines(follower.stdout, only=" app/"), Lines(follower.stderr)
    try:
        assert any("following alerts" in line for line in err.wait_for(1))
        push(cpu_usage=99)
        assert len(out.wait_for(1)) == 1
        server.terminate()
        server.communicate(timeout=20)
        server = serve(data_dir, port, ws_port)
        deadline = time.monotonic() + 20
        cpu = 10.0
        while len(out.lines) < 2 and time.monotonic() < deadline:
            push(cpu_usage=cpu)
            cpu = 110.0 - cpu  # 10 and 100 in turn: a change each push
            time.sleep(0.5)
    finally:
        stop(follower, server, api)
    assert len(out.lines) >= 2, "it went on with live events"
    said = [line for line in err.lines if "without a key" in line]
    assert len(said) == 1 and "not shown" in said[0]
    assert not any("refused" in line for line in err.lines)
