"""The metric catalogue: every metric the monitor knows, declared once.

Each entry says how a metric is stored (`name`), what the API, exports and
the guide call it (`wire`), its unit, its label in English and Korean, whether
it is a gauge (a level at a moment) or a counter (what moved since the
previous sample, so it adds up over any window), and how to show a value.
Collectors, storage columns, alert rules, analytics units and forecasts, API
answers, export headers and the console's labels all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    GAUGE = "gauge"
    COUNTER = "counter"


class Source(StrEnum):
    COLUMN = "column"  # a column of every sample
    DERIVED = "derived"  # computed from other metrics over a bucket or window
    EXTRA = "extra"  # a named value beside the columns (host extras, pushed custom metrics)


class Display(StrEnum):
    PERCENT = "percent"
    BYTES = "bytes"
    SECONDS = "seconds"
    COUNT = "count"
    RATE = "rate"
    NUMBER = "number"


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    wire: str
    unit: str
    label: str
    label_ko: str
    kind: Kind
    display: Display
    source: Source = Source.COLUMN


G, C, D = Kind.GAUGE, Kind.COUNTER, Display

# name, wire name, unit, English label, Korean label, kind, display
_COLUMNS = (  # the sample's columns, in storage order
    ("cpu_percent", "cpu_usage", "%", "CPU usage", "CPU 사용률", G, D.PERCENT),
    ("memory_percent", "memory_usage", "%", "Memory usage", "메모리 사용률", G, D.PERCENT),
    ("memory_rss", "memory_rss", "bytes", "Memory RSS", "메모리 RSS", G, D.BYTES),
    ("memory_vms", "memory_vms", "bytes", "Memory VMS", "메모리 VMS", G, D.BYTES),
    ("response_time", "response_time", "s", "Response time", "응답 시간", G, D.SECONDS),
    ("error_count", "error_count", "count", "Errors", "에러 수", C, D.COUNT),
    ("request_count", "request_count", "count", "Requests", "요청 수", C, D.COUNT),
    (
        "connections_active",
        "connections_active",
        "count",
        "Active connections",
        "활성 연결",
        G,
        D.COUNT,
    ),
    ("connections_total", "connections_total", "count", "Total connections", "총 연결", G, D.COUNT),
    ("threads", "threads", "count", "Threads", "스레드", G, D.COUNT),
    ("disk_read_bytes", "disk_read_bytes", "bytes", "Disk read", "디스크 읽기", C, D.BYTES),
    ("disk_write_bytes", "disk_write_bytes", "bytes", "Disk written", "디스크 쓰기", C, D.BYTES),
    ("net_recv_bytes", "net_recv_bytes", "bytes", "Network received", "네트워크 수신", C, D.BYTES),
    ("net_sent_bytes", "net_sent_bytes", "bytes", "Network sent", "네트워크 송신", C, D.BYTES),
)
_DERIVED = (  # computed per bucket or window
    ("error_rate", "error_rate", "%", "Error rate", "에러율", G, D.PERCENT),
    ("throughput", "throughput", "requests/s", "Throughput", "처리량", G, D.RATE),
)
_EXTRAS = (  # stored beside the columns: the host's, and a supervised plugin's
    ("load1", "load1", "", "Load average (1 min)", "부하 평균(1분)", G, D.NUMBER),
    ("swap_percent", "swap_percent", "%", "Swap usage", "스왑 사용률", G, D.PERCENT),
    (
        "data_disk_percent",
        "data_disk_percent",
        "%",
        "Data disk used",
        "데이터 디스크 사용률",
        G,
        D.PERCENT,
    ),
    (
        "unexpected_exits",
        "unexpected_exits",
        "count",
        "Unexpected exits",
        "예기치 않은 종료",
        G,
        D.COUNT,
    ),
    ("crash_loop", "crash_loop", "", "Crash loop", "크래시 루프", G, D.NUMBER),
    ("plugin_restarts", "plugin_restarts", "count", "Restarts", "재시작", G, D.COUNT),
    ("plugin_uptime", "plugin_uptime", "s", "Uptime", "가동 시간", G, D.SECONDS),
    ("memory_limit", "memory_limit", "bytes", "Memory limit", "메모리 한도", G, D.BYTES),
    ("cpu_limit", "cpu_limit", "%", "CPU limit", "CPU 한도", G, D.PERCENT),
    ("plugin_installs", "plugin_installs", "count", "Plugin installs", "플러그인 설치", G, D.COUNT),
    ("collect_failures", "collect_failures", "count", "Collect failures", "수집 실패", G, D.COUNT),
)

CATALOGUE: tuple[Metric, ...] = (
    *(Metric(*row, source=Source.COLUMN) for row in _COLUMNS),
    *(Metric(*row, source=Source.DERIVED) for row in _DERIVED),
    *(Metric(*row, source=Source.EXTRA) for row in _EXTRAS),
)
BY_NAME: dict[str, Metric] = {metric.name: metric for metric in CATALOGUE}
BY_WIRE: dict[str, Metric] = {metric.wire: metric for metric in CATALOGUE}
COLUMNS: tuple[Metric, ...] = tuple(m for m in CATALOGUE if m.source is Source.COLUMN)


def describe(wire: str) -> Metric:
    """The catalogue's entry for a wire name; a pushed custom metric nobody
    declared gets one that names it as it came, with no unit."""
    found = BY_WIRE.get(wire)
    if found is not None:
        return found
    return Metric(wire, wire, "", wire, wire, Kind.GAUGE, Display.NUMBER, Source.EXTRA)
