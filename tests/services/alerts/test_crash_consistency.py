"""A SIGKILL during an alert storm never leaves alert state out of step with
the stored samples: after a restart, every plugin's open alerts equal a
fresh in-order evaluation of what is stored, in 10 rounds out of 10."""

from __future__ import annotations

import random
import signal
import threading
from pathlib import Path

import httpx

from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.evaluator import AlertEvaluator
from desktop_app.services.alerts.rules import RULES
from desktop_app.services.runtime import PluginMonitor
from desktop_app.services.secrets import SecretName, SecretStore
from tests.cli.test_follow import free_port, serve
from tests.helpers import NO_API

PLUGINS = [f"storm{n}" for n in range(10)]
ROUNDS = 10


def storm(base: str, token: str, stop: threading.Event, seed: int) -> None:
    """Batches of samples that cross the lines back and forth, until killed."""
    chance = random.Random(seed)
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as api:
        for plugin in PLUGINS:
            api.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": plugin})
        while not stop.is_set():
            batch = [
                {
                    "plugin_id": plugin,
                    "metrics": {
                        "cpu_usage": chance.choice([10, 50, 85, 97]),
                        "memory_usage": chance.choice([20, 90, 99]),
                    },
                }
                for plugin in PLUGINS
                for _ in range(20)
            ]
            try:
                api.post("/api/advanced-monitoring/update-metrics/batch", json={"samples": batch})
            except httpx.TransportError:
                return  # the server was killed


def fresh_evaluation(monitor: PluginMonitor) -> set[tuple[str, str, str]]:
    evaluator = AlertEvaluator(lambda _key: ThresholdValues(), RULES)
    for plugin in PLUGINS:
        plugin_id = monitor.registry.ids()[plugin]
        for sample in monitor.samples.window(plugin_id, plugin, 0, 4_000_000_000):
            evaluator.evaluate(sample)
    return {
        (plugin, rule.name, level.label)
        for plugin in PLUGINS
        for rule in RULES
        if (level := evaluator.level_of(plugin, rule.name)) is not None
    }


def test_open_alerts_equal_a_fresh_evaluation_after_sigkill_in_every_round(
    data_dir: Path,
) -> None:
    agreed = 0
    for round_ in range(ROUNDS):
        port, ws_port = free_port(), free_port()
        server = serve(data_dir, port, ws_port)
        token = SecretStore(data_dir).get(SecretName.LOCAL_ADMIN)
        assert token is not None
        stop = threading.Event()
        pusher = threading.Thread(
            target=storm, args=(f"http://127.0.0.1:{port}", token, stop, round_)
        )
        pusher.start()
        stop.wait(0.6 + 0.1 * round_)  # kill at a different moment each round
        server.send_signal(signal.SIGKILL)
        server.communicate(timeout=20)
        stop.set()
        pusher.join(20)
        with PluginMonitor.open(data_dir, collectors=[], api=NO_API) as monitor:
            monitor.start(monitoring=False)
            monitor.engine.flush().result(60)  # the catch-up runs first
            open_now = {
                (a.plugin_key, a.rule, a.level.label)
                for a in monitor.engine.open_alerts()
                if a.plugin_key in PLUGINS
            }
            expected = fresh_evaluation(monitor)
            assert open_now == expected, f"round {round_ + 1}"
            assert expected, "the storm left alerts open"
        agreed += 1
    assert agreed == ROUNDS
