"""How long a plugin may stay silent: its threshold, else three of its
reporting intervals (learned from arrivals, or the collection interval),
never less than alerts.no_data_min_seconds; and whose silence counts."""

from __future__ import annotations

from desktop_app.models.levels import AlertLevel
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.no_data import NO_DATA, SilenceWatch
from desktop_app.services.runtime import PluginMonitor
from tests.helpers import push


def watch(stale_after: float = 0.0, collected: float | None = None) -> SilenceWatch:
    return SilenceWatch(
        lambda _key: ThresholdValues(stale_after_seconds=stale_after),
        lambda: 60.0,
        lambda _key: collected,
    )


def test_the_limit_is_learned_from_arrivals_with_a_floor() -> None:
    silence = watch()
    assert silence.limit("p") == 60.0, "nothing learned yet: the floor"
    for moment in range(0, 400, 40):  # every 40 s
        silence.heard("p", float(moment))
    assert silence.limit("p") == 120.0
    assert [o.plugin_key for o in silence.overdue(360 + 121, lambda _key: True)] == ["p"]
    assert silence.overdue(360 + 119, lambda _key: True) == []
    assert silence.overdue(360 + 500, lambda _key: False) == [], "not watched: never overdue"


def test_a_threshold_or_the_collection_interval_decides_when_given() -> None:
    assert watch(stale_after=5).limit("p") == 5
    assert watch(collected=30).limit("p") == 90
    assert watch(collected=1).limit("p") == 60


def test_messages_say_how_long_and_what_was_expected() -> None:
    assert NO_DATA.describe(240, AlertLevel.WARNING, 90) == (
        "No data for 4 min (expected within 1 min 30 s)"
    )
    assert NO_DATA.describe_recovery(240, None, 250) == "Data again after 4 min of silence"


def test_a_collected_plugin_is_not_watched_while_collection_is_off(
    monitor: PluginMonitor,
) -> None:
    push(monitor, "pushed", cpu_percent=1)
    assert monitor._silence_matters("pushed")
    assert monitor._collected_every("system") == monitor.scheduler.interval
    assert not monitor._silence_matters("system"), "collection is off in this monitor"
    monitor.start_monitoring()
    assert monitor._silence_matters("system")
    monitor.stop_monitoring()
