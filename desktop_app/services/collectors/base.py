"""What every collector is: a name, the fields it fills, and `collect()`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from desktop_app.models.samples import Sample


@dataclass(frozen=True)
class MetricField:
    name: str
    unit: str
    description: str


class Collector(Protocol):
    """Collects samples once per interval. Raising is allowed: the scheduler
    logs it and retries this collector later, without stopping the others."""

    @property
    def name(self) -> str: ...

    @property
    def fields(self) -> tuple[MetricField, ...]: ...

    def collect(self, now: float) -> list[Sample]: ...
