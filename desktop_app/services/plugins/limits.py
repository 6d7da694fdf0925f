"""A supervised plugin's `[limits]`, checked every supervisor tick: its
process tree's resident memory and CPU (100 = one core). Crossing a limit is
stored at once as a sample with the figures and the limit, so the limit
rules raise their alert without waiting for the next collection; coming
back under is stored too, so the alert resolves as promptly."""

from __future__ import annotations

import time
from collections.abc import Callable

import psutil

from desktop_app.models.metrics import Display
from desktop_app.models.samples import Sample
from desktop_app.models.supervision import Limits
from desktop_app.models.units import human
from desktop_app.services.plugins.child import PluginChild

MIB = 1024 * 1024
CHECK_SECONDS = 1.0


class LimitWatch:
    def __init__(self) -> None:
        # Per plugin, kept between checks so CPU % covers the interval.
        self._procs: dict[str, dict[int, psutil.Process]] = {}
        self._over: dict[str, str] = {}
        self._next: dict[str, float] = {}

    def forget(self, key: str) -> None:
        self._over.pop(key, None)
        self._next.pop(key, None)
        self._procs.pop(key, None)

    def check(
        self, key: str, child: PluginChild, limits: Limits, emit: Callable[[Sample], None]
    ) -> str:
        """What limit the plugin is over now ("" when none); a crossing either way is emitted."""
        now = time.monotonic()
        if now < self._next.get(key, 0.0):
            return self._over.get(key, "")
        self._next[key] = now + CHECK_SECONDS
        rss, cpu = self._measure(key, child)
        over = _over(rss, cpu, limits)
        if bool(over) != bool(self._over.get(key)):
            emit(Sample(plugin_key=key, ts=time.time(), memory_rss=rss, cpu_percent=cpu))
        self._over[key] = over
        return over

    def _measure(self, key: str, child: PluginChild) -> tuple[float, float]:
        rss = cpu = 0.0
        known = self._procs.get(key, {})
        kept = {proc.pid: known.get(proc.pid, proc) for proc in child.tree()}
        for proc in kept.values():
            try:
                with proc.oneshot():
                    rss += proc.memory_info().rss
                    cpu += proc.cpu_percent(interval=None)
            except psutil.Error:
                continue
        self._procs[key] = kept
        return rss, cpu


def _over(rss: float, cpu: float, limits: Limits) -> str:
    if limits.memory_mb is not None and rss > limits.memory_mb * MIB:
        return f"memory {human(rss, Display.BYTES)} over its limit of {limits.memory_mb:g} MiB"
    if limits.cpu_percent is not None and cpu > limits.cpu_percent:
        return f"CPU {cpu:.0f} % over its limit of {limits.cpu_percent:g} %"
    return ""
