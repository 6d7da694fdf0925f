"""Process metrics for plugins whose manifest names a process (pid, whole
name, or a glob on the command line), and for the plugins the supervisor
runs (their process with its children, and their supervision figures).

Connections are counted from the plugins' own sockets (`sockets.py`): asking
psutil per process cost 241 ms for 50 processes, its system-wide call 11.5 ms,
reading only the plugins' descriptors 0.6 ms.
Process objects are kept between cycles so CPU % measures the interval.
A plugin whose process cannot be found gives a failed sample.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase

import psutil

from desktop_app.models.plugins import PluginInfo, ProcessSpec
from desktop_app.models.samples import Sample
from desktop_app.models.supervision import PluginStatus
from desktop_app.services.collectors.base import MetricField
from desktop_app.services.collectors.counters import CounterDeltas
from desktop_app.services.collectors.process_tree import trees
from desktop_app.services.collectors.sockets import connection_counts

log = logging.getLogger("plugin_monitor.monitoring.collectors")


@dataclass(frozen=True)
class _Cycle:
    """What one collection cycle reads once for all plugins."""

    now: float
    active: Counter[int]
    total: Counter[int]
    host_memory: int


class ProcessCollector:
    name = "processes"
    fields = (
        MetricField("cpu_percent", "%", "CPU of the plugin's processes (100 = one core)"),
        MetricField("memory_percent", "%", "share of host memory in resident use"),
        MetricField("memory_rss", "bytes", "resident memory"),
        MetricField("memory_vms", "bytes", "virtual memory"),
        MetricField("threads", "count", "threads"),
        MetricField("disk_read_bytes", "bytes", "read since the last sample"),
        MetricField("disk_write_bytes", "bytes", "written since the last sample"),
        MetricField("connections_active", "count", "established network connections"),
        MetricField("connections_total", "count", "network connections in any state"),
    )

    def __init__(
        self,
        plugins: Callable[[], Iterable[PluginInfo]],
        on_missing: Callable[[frozenset[str]], None] | None = None,
        supervised: Callable[[], Mapping[str, PluginStatus]] | None = None,
    ) -> None:
        self._plugins = plugins
        self._supervised = supervised
        # Told, after each collection, which watched plugins' processes were not found.
        self._on_missing = on_missing
        self._by_pid: dict[int, psutil.Process] = {}
        self._deltas = CounterDeltas()

    def collect(self, now: float) -> list[Sample]:
        watched = [p for p in self._plugins() if p.enabled and p.process is not None]
        supervised = self._supervised() if self._supervised else {}
        if not watched and not supervised:
            self._tell_missing([])
            return []
        found = self._watched_pids(watched) + self._supervised_pids(supervised)
        alive = {pid for _, pids in found for pid in pids}
        active, total = connection_counts(alive)
        cycle = _Cycle(now, active, total, psutil.virtual_memory().total)
        samples = [self._sample(key, pids, cycle) for key, pids in found[: len(watched)]]
        self._tell_missing(samples)
        for key, pids in found[len(watched) :]:
            # A plugin the supervisor runs: when it is not running (or ended
            # during this cycle) its state and supervision alerts say so.
            sample = self._sample(key, pids, cycle)
            if not sample.failed:
                samples.append(sample)
        self._forget_ended(alive)
        return samples

    def _watched_pids(self, watched: list[PluginInfo]) -> list[tuple[str, list[int]]]:
        by_name, by_cmdline = self._running(watched)
        return [
            (plugin.key, self._pids_for(plugin.process, by_name, by_cmdline))
            for plugin in watched
            if plugin.process is not None
        ]

    @staticmethod
    def _supervised_pids(statuses: Mapping[str, PluginStatus]) -> list[tuple[str, list[int]]]:
        """Each plugin the supervisor runs: its process with all its children."""
        roots = trees(status.pid for status in statuses.values() if status.pid is not None)
        return [
            (key, roots.get(status.pid, []) if status.pid is not None else [])
            for key, status in statuses.items()
        ]

    def _tell_missing(self, samples: list[Sample]) -> None:
        """A sample without memory figures is one whose process was not found."""
        if self._on_missing is not None:
            missing = {s.plugin_key for s in samples if s.failed and s.memory_rss is None}
            self._on_missing(frozenset(missing))

    @staticmethod
    def _running(
        watched: list[PluginInfo],
    ) -> tuple[dict[str, list[int]], list[tuple[int, str]]]:
        """Running processes by whole name, and their command lines when a
        plugin is found by one (one pass over the process table)."""
        by_name: dict[str, list[int]] = {}
        command_lines: list[tuple[int, str]] = []
        wanted = {"name"} if any(p.process and p.process.name for p in watched) else set()
        if any(p.process and p.process.cmdline for p in watched):
            wanted.add("cmdline")
        if not wanted:
            return by_name, command_lines
        for proc in psutil.process_iter(sorted(wanted)):
            if name := proc.info.get("name"):
                by_name.setdefault(name, []).append(proc.pid)
            if words := proc.info.get("cmdline"):
                command_lines.append((proc.pid, " ".join(words)))
        return by_name, command_lines

    @staticmethod
    def _pids_for(
        spec: ProcessSpec, by_name: dict[str, list[int]], command_lines: list[tuple[int, str]]
    ) -> list[int]:
        if spec.pid is not None:
            return [spec.pid] if psutil.pid_exists(spec.pid) else []
        if spec.cmdline is not None:
            own = os.getpid()  # the monitor's own command line may name the glob
            glob = spec.cmdline
            return [pid for pid, line in command_lines if pid != own and fnmatchcase(line, glob)]
        return by_name.get(spec.name or "", [])

    def _process(self, pid: int) -> psutil.Process:
        """The kept Process object (CPU % measures the interval since the last
        cycle). A pid that left the plugin is forgotten at the end of the cycle
        it was not seen in, so a reused pid is never taken for the old process
        without an `is_running()` check (a /proc read per pid per cycle)."""
        proc = self._by_pid.get(pid)
        if proc is None:
            proc = psutil.Process(pid)
            proc.cpu_percent(interval=None)
            self._by_pid[pid] = proc
        return proc

    def _sample(self, key: str, pids: list[int], cycle: _Cycle) -> Sample:
        sample = Sample(plugin_key=key, ts=cycle.now)
        cpu = rss = vms = threads = read = written = 0.0
        seen = 0
        for pid in pids:
            try:
                proc = self._process(pid)
                with proc.oneshot():
                    cpu += proc.cpu_percent(interval=None)
                    info = proc.memory_info()
                    rss += info.rss
                    vms += info.vms
                    threads += proc.num_threads()
                    read, written = self._io(proc, read, written)
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
            except psutil.AccessDenied:
                log.debug("access denied to process %d of plugin %s", pid, key)
                continue
            seen += 1
        if not seen:
            sample.failed = True
            return sample
        sample.cpu_percent = cpu
        sample.memory_rss, sample.memory_vms = rss, vms
        sample.memory_percent = 100.0 * rss / cycle.host_memory if cycle.host_memory else None
        sample.threads = threads
        sample.disk_read_bytes, sample.disk_write_bytes = read, written
        sample.connections_active = float(sum(cycle.active[pid] for pid in pids))
        sample.connections_total = float(sum(cycle.total[pid] for pid in pids))
        return sample

    def _io(self, proc: psutil.Process, read: float, written: float) -> tuple[float, float]:
        try:
            io = proc.io_counters()
        except (psutil.AccessDenied, AttributeError, NotImplementedError):
            return read, written
        read += self._deltas.delta((proc.pid, "read"), io.read_bytes)
        written += self._deltas.delta((proc.pid, "write"), io.write_bytes)
        return read, written

    def _forget_ended(self, alive: set[int]) -> None:
        for pid in list(self._by_pid):
            if pid not in alive:
                del self._by_pid[pid]
        self._deltas.keep_only({(pid, kind) for pid in alive for kind in ("read", "write")})
