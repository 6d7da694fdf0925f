"""`plugin-monitor serve` killed with SIGKILL at 20 random moments while a
plugin pushes: every acknowledged sample is there after each kill, the file
passes `integrity_check`, and the next start is healthy."""

from __future__ import annotations

import random
import re
import signal
import sqlite3
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from desktop_app.models.auth import Role
from desktop_app.paths import DATABASE_NAME
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.storage.database import open_database
from tests.cli.test_cli import start

KILLS = 20
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
RUNNING = re.compile(r"API (http://127\.0\.0\.1:\d+)")


def operator_key(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    engine = open_database(data_dir / DATABASE_NAME)
    try:
        return ApiKeyStore(engine).create(name="pusher", role=Role.OPERATOR)[1]
    finally:
        engine.dispose()


def serving(data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    server = start("serve", data_dir=data_dir)
    assert server.stderr is not None
    while True:
        line = server.stderr.readline()
        assert line, f"serve ended (code {server.wait(30)}) before it ran: {server.stderr.read()}"
        if found := RUNNING.search(line):
            return server, found.group(1)


def push_until_killed(url: str, key: str, acknowledged: list[str], cpu: float) -> None:
    """Push as fast as answers come; record the time of each acknowledged one."""
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=url, headers=headers, timeout=10) as client:
        try:
            client.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})
            while True:
                body = {"plugin_id": "app", "metrics": {"cpu_usage": cpu, "memory_usage": 1.0}}
                answer = client.post("/api/advanced-monitoring/update-metrics", json=body)
                if answer.status_code == 200:
                    acknowledged.append(answer.json()["timestamp"])
        except httpx.TransportError:
            return  # killed


def stored_times(database: Path) -> set[int]:
    """The `app` plugin's sample times in microseconds, from a sound file."""
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute(
            "SELECT s.ts FROM samples AS s JOIN plugins AS p ON p.id = s.plugin_id "
            "WHERE p.key = 'app'"
        )
        return {ts for (ts,) in rows}


def micros(stamp: str) -> int:
    return (datetime.fromisoformat(stamp) - EPOCH) // timedelta(microseconds=1)


def test_sigkill_at_random_moments_loses_no_acknowledged_sample(data_dir: Path) -> None:
    key = operator_key(data_dir)
    chance = random.Random(20261127)
    acknowledged: list[str] = []
    for kill in range(KILLS):
        server, url = serving(data_dir)
        cpu = 99.0 if kill % 3 == 0 else 10.0  # alerts raised and resolved across kills
        pusher = threading.Thread(target=push_until_killed, args=(url, key, acknowledged, cpu))
        pusher.start()
        time.sleep(chance.uniform(0.05, 0.8))
        server.send_signal(signal.SIGKILL)
        server.wait(30)
        pusher.join(30)
        assert server.stdout is not None and server.stderr is not None
        server.stdout.close()
        server.stderr.close()
        missing = {micros(t) for t in acknowledged} - stored_times(data_dir / DATABASE_NAME)
        assert not missing, f"kill {kill + 1}: {len(missing)} acknowledged samples lost"
    assert len(acknowledged) > KILLS * 5, "the pushes were acknowledged between kills"
    server, url = serving(data_dir)
    try:
        with httpx.Client(base_url=url, timeout=10) as client:
            health = client.get("/api/system/health").json()
        assert health["status"] == "ok", health["problems"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)
    assert server.returncode == 0
