"""The operator guide's commands, copied verbatim from docs/admin-guide.ko.md,
run with curl against `plugin-monitor serve` on its default ports."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "admin-guide.ko.md"
CLI = Path(sys.executable).parent / "plugin-monitor"


def guide_curl_commands() -> list[str]:
    """Every curl command in the guide's bash blocks, exactly as written (a
    command runs on over its continuation lines and open quotes)."""
    blocks = re.findall(r"```bash\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    commands = []
    for block in blocks:
        current: list[str] = []
        for line in block.splitlines():
            if not current and not line.strip().startswith("curl"):
                continue
            current.append(line)
            text = "\n".join(current)
            if not text.endswith("\\") and _complete(text):
                commands.append(text)
                current = []
    return commands


def _complete(text: str) -> bool:
    try:
        shlex.split(text)
    except ValueError:
        return False
    return True


def command_for(fragment: str) -> str:
    matches = [c for c in guide_curl_commands() if fragment in c]
    assert len(matches) == 1, (fragment, matches)
    return matches[0]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("guide")
    for name in ("plugin_name", "suspicious_plugin"):  # the guide's plugins, run by the monitor
        folder = data_dir / "plugins" / name
        folder.mkdir(parents=True)
        (folder / "plugin.toml").write_text(
            f'[run]\ncommand = ["{sys.executable}", "-c", "import time; time.sleep(600)"]\n'
        )
    process = subprocess.Popen(
        [str(CLI), "serve", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get("http://127.0.0.1:5000/api/system/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "serve did not come up on port 5000"
            time.sleep(0.1)
        token = subprocess.run(
            [
                str(CLI),
                "keys",
                "create",
                "--role",
                "admin",
                "--name",
                "guide",
                "--data-dir",
                str(data_dir),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        yield token
    finally:
        process.terminate()
        process.communicate(timeout=20)


def run_text(command: str, token: str) -> str:
    command = command.replace("YOUR_TOKEN", token).replace("YOUR_API_KEY", token)
    result = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def run(command: str, token: str) -> dict[str, object]:
    body: dict[str, object] = json.loads(run_text(command, token))
    return body


def test_the_guide_holds_the_commands() -> None:
    assert len(guide_curl_commands()) >= 12


def test_register_and_push_as_written(served: str) -> None:
    registered = run(command_for("register-plugin"), served)
    assert registered["created"] is True
    assert registered["plugin"]["plugin_name"] == "내 플러그인"  # type: ignore[index]
    stored = run(command_for("update-metrics"), served)
    assert stored["status"] == "stored" and stored["plugin_id"] == "my_plugin"


def test_alert_listings_as_written(served: str) -> None:
    commands = [c for c in guide_curl_commands() if "/alerts" in c]
    assert len(commands) == 2
    for command in commands:
        assert "alerts" in run(command, served)


def test_key_check_and_health_as_written(served: str) -> None:
    status = run(command_for("/api/status"), served)
    # Key 1 is the monitor's local credential, made at its first start.
    assert status == {"authenticated": True, "name": "guide", "role": "admin", "key_id": 2}
    health = run(command_for("/api/system/health"), served)
    assert health["status"] in ("ok", "degraded")


def test_metrics_windows_as_written(served: str) -> None:
    run(command_for("register-plugin"), served)
    run(command_for("update-metrics"), served)
    for hours in (24, 168):
        window = run(command_for(f"metrics/my_plugin?hours={hours}"), served)
        assert window["hours"] == hours
        assert [s["cpu_usage"] for s in window["samples"]][-1] == 45.2  # type: ignore[index]


def test_analyses_as_written(served: str) -> None:
    run(command_for("register-plugin"), served)
    run(command_for("update-metrics"), served)
    trends = run(command_for("trends/my_plugin"), served)
    assert trends["plugin_id"] == "my_plugin" and "least-squares" in str(trends["method"])
    patterns = run(command_for("usage-patterns/my_plugin"), served)
    hours = patterns["metrics"]["cpu_usage"]["hour_of_day"]  # type: ignore[index]
    assert [round(h, 9) for h in hours if h is not None] == [45.2]
    analytics = run(command_for("analytics/my_plugin?hours=24"), served)
    assert analytics["summary"]["cpu_usage"]["current"] == 45.2  # type: ignore[index]
    assert {"history", "trends", "patterns", "summary", "forecasts"} <= analytics.keys()


def test_exports_as_written(served: str) -> None:
    run(command_for("register-plugin"), served)
    run(command_for("update-metrics"), served)
    rows = json.loads(run_text(command_for("format=json"), served))
    assert rows[-1]["plugin_id"] == "my_plugin" and rows[-1]["cpu_percent"] == 45.2
    lines = run_text(command_for("format=csv"), served).splitlines()
    assert lines[0].startswith("plugin_id,timestamp,cpu_percent")
    assert lines[-1].startswith("my_plugin,") and ",45.2," in lines[-1]


def with_key(command: str, token: str) -> str:
    return command.replace("curl ", f'curl -s -H "Authorization: Bearer {token}" ', 1)


def test_plugin_control_as_written(served: str) -> None:
    restart, stop_all = command_for("plugins/restart/"), command_for("plugins/stop-all")
    disable, health = command_for("plugins/disable/"), command_for("/api/system/health")
    refused = run(restart, served)
    assert refused["detail"] == (
        "this needs an API key with the admin role: send Authorization: Bearer <key> (create "
        "one with: plugin-monitor keys create --role admin --name NAME); on the monitor's "
        "machine, `plugin-monitor plugins restart plugin_name` does this without a key"
    )
    assert "`plugin-monitor plugins stop-all`" in str(run(stop_all, served)["detail"])
    before = run(health, served)
    restarted = run(with_key(restart, served), served)
    assert restarted["plugin_id"] == "plugin_name" and restarted["state"] == "running"
    assert restarted["pid"] and restarted["restarts"] == 1
    disabled = run(with_key(disable, served), served)
    assert (disabled["state"], disabled["pid"]) == ("disabled", None)
    stopped = run(with_key(stop_all, served), served)
    assert [p["plugin_id"] for p in stopped["stopped"]] == ["plugin_name"]  # type: ignore[index]
    admin_view = run(with_key(health, served), served)
    assert admin_view["plugin_states"] == {
        "plugin_name": "stopped",
        "suspicious_plugin": "disabled",
        "security": "watched",
        "system": "watched",
    } | {k: v for k, v in admin_view["plugin_states"].items() if k == "my_plugin"}  # type: ignore[union-attr]
    assert "running" in before["plugin_states"]  # type: ignore[operator]
