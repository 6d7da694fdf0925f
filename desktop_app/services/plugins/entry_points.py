"""Plugins from installed Python distributions: the entry-point group
`plugin_monitor.plugins` names a callable that returns an object with
`plugin_id`, `name` and `collect() -> dict[str, float]` (the push API's
metric names; other names are kept as custom metrics).

They run in this process, on the collector's schedule, each in its own
thread so one that hangs holds up nobody: a call gets half the collection
interval. One that cannot be loaded, raises, hangs or returns something other
than numbers is disabled, logged and raises its error alert; it is never fatal.
Entry points are not found in a frozen bundle (no distributions there);
folder plugins are.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as CallTimeout
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from desktop_app.models.metrics import BY_WIRE, Source
from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.services.collectors.base import MetricField
from desktop_app.services.plugins.manifest import check_plugin_key
from desktop_app.services.plugins.registry import PluginRegistry

log = logging.getLogger("plugin_monitor.monitoring.plugins")

GROUP = "plugin_monitor.plugins"
COLUMNS = {
    metric.wire: metric.name for metric in BY_WIRE.values() if metric.source is Source.COLUMN
}


def _call(key: str, collect: Callable[[], Any]) -> Future[Any]:
    """collect() on a thread of its own, which ends with the call: nothing
    lingers while idle, and a hung call holds only its own thread."""
    future: Future[Any] = Future()

    def run() -> None:
        try:
            future.set_result(collect())
        except BaseException as error:
            future.set_exception(error)

    threading.Thread(target=run, name=f"plugin-{key}", daemon=True).start()
    return future


class EntryPointPlugins:
    name = "entry-points"
    fields = (MetricField("*", "", "what each installed plugin's collect() returns"),)

    def __init__(self, registry: PluginRegistry, interval: Callable[[], float]) -> None:
        self._registry = registry
        self._interval = interval
        self._loaded: dict[str, Any] | None = None
        # Failed in the last round: disabled now that their failure sample is stored.
        self._failing: list[str] = []

    def collect(self, now: float) -> list[Sample]:
        if self._loaded is None:
            self._loaded = {}
            for point in entry_points(group=GROUP):
                self._load(point, self._loaded)
        for key in self._failing:
            self._registry.set_enabled(key, False, actor="monitor")
        self._failing = []
        calls = {
            key: _call(key, plugin.collect)
            for key, plugin in self._loaded.items()
            if self._registry.is_enabled(key)
        }
        return [self._sample(key, call, now) for key, call in calls.items()]

    def _load(self, point: EntryPoint, loaded: dict[str, Any]) -> None:
        try:
            plugin = point.load()()
            key = check_plugin_key(plugin.plugin_id)
            name = str(plugin.name)[:200] or key
            if not callable(plugin.collect):
                raise TypeError("collect is not callable")
        except Exception as error:
            log.error("entry point %s (%s) could not be loaded: %s", point.name, point.value, error)
            return
        self._registry.register(key, name, PluginSource.PACKAGE)
        loaded[key] = plugin
        log.info("loaded plugin %s from the entry point %s", key, point.value)

    def _sample(self, key: str, call: Future[Any], now: float) -> Sample:
        try:
            metrics = call.result(timeout=self._interval() / 2)
            return sample_of(key, now, metrics)
        except CallTimeout:
            reason = f"collect() did not answer within {self._interval() / 2:g} s"
        except Exception as error:
            reason = f"collect() failed: {error.__class__.__name__}: {error}"
        return self._disable(key, now, reason)

    def _disable(self, key: str, now: float, reason: str) -> Sample:
        """The failure as a sample (its alert); the plugin is disabled at the next
        round, once that sample is stored (a disabled plugin's samples are dropped)."""
        log.error("plugin %s is disabled: %s", key, reason)
        self._failing.append(key)
        return Sample(key, now, failed=True, extras={"collect_failures": 1.0})


def sample_of(key: str, ts: float, metrics: object) -> Sample:
    """A sample from collect()'s answer; anything but a dict of finite numbers is refused."""
    if not isinstance(metrics, dict):
        raise TypeError(f"it returned {type(metrics).__name__}, not a dict of numbers")
    sample = Sample(key, ts)
    for name, value in metrics.items():
        if (
            not isinstance(name, str)
            or isinstance(value, bool)
            or not isinstance(value, int | float)
        ):
            raise TypeError(f"it returned {name!r}: {value!r}, not a metric name and a number")
        if not math.isfinite(value):
            raise TypeError(f"it returned {name!r}: {value!r}, not a finite number")
        if name in COLUMNS:
            setattr(sample, COLUMNS[name], float(value))
        else:
            sample.extras[name] = float(value)
    return sample
