"""Threshold values, with the operator guide's attribute names."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class ThresholdValues:
    """One complete set of thresholds. A threshold of 0 turns its line off.

    `hysteresis` is the fraction below a line a value must fall before an alert
    clears (0.05: an 80 % warning clears below 76 %); `for_samples` is how many
    samples in a row a new level must hold before the alert changes.
    `unusual_hour_sigma` flags usage that many standard deviations away from
    what is usual for the hour of the week (0: off; meant per plugin).
    `stale_after_seconds` is how long a plugin may stay silent before a
    no-data warning (0: automatic, from how often it reports).
    """

    cpu_threshold: float = 80.0
    cpu_critical_threshold: float = 95.0
    memory_threshold: float = 85.0
    memory_critical_threshold: float = 95.0
    response_time_threshold: float = 5.0
    response_time_critical_threshold: float = 0.0
    error_rate_threshold: float = 10.0
    consecutive_errors_threshold: int = 5
    hysteresis: float = 0.05
    for_samples: int = 1
    unusual_hour_sigma: float = 0.0
    stale_after_seconds: float = 0.0


THRESHOLD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ThresholdValues))
