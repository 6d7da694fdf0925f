"""Custom and host metrics over a window: the values stored beside the
standard columns (load average, swap, free space on the data disk, and what
plugins push under `custom`). They are kept with the raw samples, so a window
reaches as far back as raw retention does.
"""

from __future__ import annotations

from desktop_app.models import timestamps
from desktop_app.models.metrics import describe
from desktop_app.services.storage.samples import SampleStore


def custom_summary(
    samples: SampleStore, plugin_id: int, since: float, until: float
) -> dict[str, dict[str, object]]:
    """Per custom metric: average, minimum, maximum, the newest value and its unit."""
    since_us, until_us = timestamps.to_micros(since), timestamps.to_micros(until)
    with samples.reading() as reader:
        rows = reader.extras(plugin_id, since_us, until_us)
    values: dict[str, list[float]] = {}
    for _ts, name, value in rows:  # oldest first, so the last is the current one
        values.setdefault(name, []).append(float(value))
    return {
        name: {
            "average": sum(found) / len(found),
            "minimum": min(found),
            "maximum": max(found),
            "current": found[-1],
            "samples": len(found),
            "unit": describe(name).unit,
        }
        for name, found in sorted(values.items())
    }
