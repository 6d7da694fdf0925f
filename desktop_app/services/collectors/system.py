"""The built-in `system` plugin: the host itself, through psutil."""

from __future__ import annotations

import os
import time
from pathlib import Path

import psutil

from desktop_app.models.samples import Sample
from desktop_app.services.collectors.base import MetricField
from desktop_app.services.collectors.counters import CounterDeltas, HostCpu

SYSTEM_PLUGIN_KEY = "system"
SYSTEM_PLUGIN_NAME = "Host system"
MIN_CPU_WINDOW = 0.5


class SystemCollector:
    name = "system"
    fields = (
        MetricField("cpu_percent", "%", "CPU use over all cores since the last sample"),
        MetricField("memory_percent", "%", "memory in use"),
        MetricField("memory_rss", "bytes", "memory in use"),
        MetricField("disk_read_bytes", "bytes", "read from disks since the last sample"),
        MetricField("disk_write_bytes", "bytes", "written to disks since the last sample"),
        MetricField("net_recv_bytes", "bytes", "received on all interfaces since the last sample"),
        MetricField("net_sent_bytes", "bytes", "sent on all interfaces since the last sample"),
        MetricField("load1", "", "1-minute load average (extra)"),
        MetricField("swap_percent", "%", "swap in use (extra)"),
        MetricField("data_disk_percent", "%", "space used on the data folder's disk (extra)"),
    )

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._deltas = CounterDeltas()
        self._cpu_since = time.monotonic()
        self._host_cpu = HostCpu()
        self.collect(0.0)

    def _cpu(self) -> float | None:
        """CPU use since the previous call; None when that was too recent to
        mean anything (the first reading would measure our own start-up)."""
        now = time.monotonic()
        value = self._host_cpu.percent()
        measured_over, self._cpu_since = now - self._cpu_since, now
        return value if measured_over >= MIN_CPU_WINDOW else None

    def collect(self, now: float) -> list[Sample]:
        memory = psutil.virtual_memory()
        sample = Sample(
            plugin_key=SYSTEM_PLUGIN_KEY,
            ts=now,
            cpu_percent=self._cpu(),
            memory_percent=memory.percent,
            memory_rss=float(memory.total - memory.available),
        )
        disk = psutil.disk_io_counters()
        if disk is not None:
            sample.disk_read_bytes = self._deltas.delta("disk_read", disk.read_bytes)
            sample.disk_write_bytes = self._deltas.delta("disk_write", disk.write_bytes)
        net = psutil.net_io_counters()
        if net is not None:
            sample.net_recv_bytes = self._deltas.delta("net_recv", net.bytes_recv)
            sample.net_sent_bytes = self._deltas.delta("net_sent", net.bytes_sent)
        if hasattr(os, "getloadavg"):
            sample.extras["load1"] = os.getloadavg()[0]
        sample.extras["swap_percent"] = psutil.swap_memory().percent
        sample.extras["data_disk_percent"] = psutil.disk_usage(str(self._data_dir)).percent
        return [sample]
