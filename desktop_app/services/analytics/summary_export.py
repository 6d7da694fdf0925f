"""Exporting the analytics summary of plugins (the console's export dialog):
JSON holds each plugin's full analytics report; CSV one row per plugin and
metric with its average, extremes, current value and trend."""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Mapping

from desktop_app.services.analytics.report import AnalyticsService
from desktop_app.services.export import ExportRequest, atomic_text_file

CSV_COLUMNS = (
    "plugin_id",
    "metric",
    "unit",
    "average",
    "minimum",
    "maximum",
    "current",
    "direction",
    "strength",
    "change_percent",
)


def summary_rows(plugin_key: str, report: Mapping[str, object]) -> list[list[object]]:
    summary: dict[str, dict[str, object]] = report["summary"]  # type: ignore[assignment]
    trends: dict[str, dict[str, object]] = report["trends"]  # type: ignore[assignment]
    rows = []
    for metric, values in summary.items():
        trend = trends.get(metric, {})
        rows.append(
            [
                plugin_key,
                metric,
                values["unit"],
                *(values[k] for k in ("average", "minimum", "maximum", "current")),
                *(trend.get(k) for k in ("direction", "strength", "change_percent")),
            ]
        )
    return rows


def export_summary(
    analytics: AnalyticsService, plugin_ids: Mapping[str, int], request: ExportRequest
) -> int:
    """Write the summaries; returns how many rows (CSV) or plugins (JSON)."""
    now = request.until
    hours = max(1, round((request.until - request.since) / 3600))
    reports = {
        key: analytics.analytics(plugin_id, key, hours=hours, now=now)
        for key, plugin_id in sorted(plugin_ids.items())
    }
    with atomic_text_file(request.path) as handle:
        if request.fmt == "json":
            json.dump(
                {"generated_at": time.time(), "hours": hours, "plugins": reports}, handle, indent=1
            )
            return len(reports)
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        rows = [row for key, report in reports.items() for row in summary_rows(key, report)]
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        return len(rows)
