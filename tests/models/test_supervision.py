"""The restart policy's arithmetic and a status's figures."""

from __future__ import annotations

from desktop_app.models.supervision import (
    Limits,
    PluginState,
    PluginStatus,
    Restart,
    RestartBudget,
    RunSpec,
)


def test_the_delay_doubles_per_restart_up_to_60_s() -> None:
    budget = RestartBudget(RunSpec(command=("x",), max_restarts=10, restart_delay_seconds=5))
    delays = []
    for moment in range(8):
        assert budget.spend(float(moment))
        delays.append(budget.delay())
    assert delays == [5, 10, 20, 40, 60, 60, 60, 60]
    budget.reset()
    assert budget.spend(100.0) and budget.delay() == 5


def test_one_restart_too_many_within_the_window_is_a_crash_loop() -> None:
    budget = RestartBudget(RunSpec(command=("x",), max_restarts=2, restart_window_seconds=60))
    assert budget.spend(0.0) and budget.spend(10.0)
    assert not budget.spend(20.0)
    assert budget.spend(75.0)  # the first restart has left the window


def test_the_policy_says_which_exits_are_restarted() -> None:
    def wants(policy: Restart, code: int) -> bool:
        return RestartBudget(RunSpec(command=("x",), restart=policy)).wants_restart(code)

    assert [wants(Restart.ON_FAILURE, c) for c in (0, 1, -9)] == [False, True, True]
    assert [wants(Restart.ALWAYS, c) for c in (0, 1)] == [True, True]
    assert [wants(Restart.NEVER, c) for c in (0, 1)] == [False, False]


def test_a_status_carries_its_supervision_figures() -> None:
    status = PluginStatus(
        "web",
        PluginState.RUNNING,
        pid=42,
        restarts=3,
        started_at=100.0,
        unexpected_exits=1,
        limits=Limits(memory_mb=512, cpu_percent=90),
    )
    assert status.extras(130.0) == {
        "unexpected_exits": 1.0,
        "crash_loop": 0.0,
        "plugin_restarts": 3.0,
        "plugin_uptime": 30.0,
        "memory_limit": 512 * 1024 * 1024,
        "cpu_limit": 90,
    }
