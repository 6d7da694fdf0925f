"""A forwarding agent (`serve --forward-to`) and a central monitor, each
`plugin-monitor serve` in its own process: every sample arrives once, in
order, across a stop of the central monitor."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from desktop_app.cli.forward import host_name
from desktop_app.client import Monitor
from tests.cli.test_follow import CLI, free_port, serve
from tests.helpers import wait_until

HOST = host_name()


def _folder(root: Path, name: str) -> tuple[Path, int, int]:
    port, ws_port = free_port(), free_port()
    data_dir = root / name
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(
        f"[api]\nport = {port}\nws_port = {ws_port}\n", encoding="utf-8"
    )
    return data_dir, port, ws_port


def _agent(data_dir: Path, port: int, ws_port: int, *forward: str) -> subprocess.Popen[str]:
    agent = subprocess.Popen(
        [str(CLI), "serve", "--data-dir", str(data_dir), "--interval", "3600", *forward],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_until(lambda: _answers(port) or agent.poll() is not None, 20, "the agent starts")
    assert agent.poll() is None, agent.communicate()[1]
    return agent


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/system/health").status_code == 200
    except httpx.TransportError:
        return False


def _central_times(central_dir: Path) -> list[float]:
    """What the central monitor stored for the agent's `app`, in time order."""
    with sqlite3.connect(central_dir / "plugin_monitoring.db") as db:
        rows = db.execute(
            "SELECT s.ts FROM samples s JOIN plugins p ON p.id = s.plugin_id "
            "WHERE p.key = ? ORDER BY s.ts",
            (f"{HOST}.app",),
        ).fetchall()
    return [ts / 1_000_000 for (ts,) in rows]


@pytest.mark.expect_log_warnings
def test_an_agent_delivers_every_sample_once_in_order_across_a_stopped_centre(
    tmp_path: Path,
) -> None:
    central_dir, port, ws_port = _folder(tmp_path, "central")
    key = subprocess.run(
        [str(CLI), "keys", "create", "--ingest", "--data-dir", str(central_dir)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    key_file = tmp_path / "central.key"
    key_file.write_text(key)
    central = serve(central_dir, port, ws_port)
    agent_dir, agent_port, agent_ws = _folder(tmp_path, "agent")
    forward = ("--forward-to", f"http://127.0.0.1:{port}", "--forward-key-file", str(key_file))
    agent = _agent(agent_dir, agent_port, agent_ws, *forward)
    start = time.time() - 1800
    expected = [start + i for i in range(600)]
    try:
        with Monitor(data_dir=agent_dir) as pushing:
            pushing.register("app")

            def push(first: int, count: int) -> None:
                for block in range(first, first + count, 50):
                    moments = expected[block : block + 50]
                    pushing.push_columns(
                        {
                            "plugin_id": "app",
                            "timestamps": moments,
                            "metrics": {"cpu_usage": [float(ts % 90) for ts in moments]},
                        }
                    )

            push(0, 200)
            wait_until(lambda: len(_central_times(central_dir)) == 200, 20, "200 forwarded")
            central.terminate()
            assert central.wait(30) == 0
            push(200, 200)  # kept in the agent's outbox meanwhile
            time.sleep(2)
            agent.terminate()  # and the agent restarted too: the outbox is on disk
            assert agent.wait(30) == 0
            agent = _agent(agent_dir, agent_port, agent_ws, *forward)
        with Monitor(data_dir=agent_dir) as pushing:
            push(400, 200)
            central = serve(central_dir, port, ws_port)
            wait_until(lambda: len(_central_times(central_dir)) == 600, 60, "all 600 forwarded")
            health = httpx.get(f"http://127.0.0.1:{port}/api/system/health").json()
            agent_health = httpx.get(f"http://127.0.0.1:{agent_port}/api/system/health").json()
    finally:
        agent.terminate()
        agent.wait(30)
        central.terminate()
        central.wait(30)
    stored = _central_times(central_dir)
    with sqlite3.connect(central_dir / "plugin_monitoring.db") as db:
        registered = db.execute("SELECT name, host FROM plugins WHERE key = ?", (f"{HOST}.app",))
        assert registered.fetchall() == [(f"app on {HOST}", HOST)]
    assert [round(ts, 3) for ts in stored] == [round(ts, 3) for ts in expected]
    # In order: the central engine met no sample older than one it had evaluated.
    assert health["workers"]["alert-engine"]["details"]["late_samples"] == 0
    forwarder = agent_health["workers"]["forwarder"]
    assert forwarder["running"] and forwarder["details"]["waiting"] == 0
    assert forwarder["details"]["forwarded"] >= 400 and forwarder["details"]["refused"] == 0


def test_an_agent_without_a_key_is_refused_with_the_way_to_give_one(tmp_path: Path) -> None:
    data_dir, _port, _ws = _folder(tmp_path, "agent")
    refused = subprocess.run(
        [str(CLI), "serve", "--data-dir", str(data_dir), "--forward-to", "http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 2
    assert "no key for the central monitor: store one with `plugin-monitor forward set-key`" in (
        refused.stderr
    )
    assert "Traceback" not in refused.stderr
    stored = subprocess.run(
        [str(CLI), "forward", "set-key", "--data-dir", str(data_dir)],
        input="pm_00000000_" + "k" * 43 + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert stored.returncode == 0 and "`serve --forward-to URL` uses it" in stored.stdout
