"""The analyses as typed models: what the trends (R12), usage-patterns (R13)
and analytics (R14) routes answer, so /openapi.json describes every field,
and what the console's Analytics page reads. One declaration for both."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Number = float | None


class TrendOut(BaseModel):
    direction: Literal["up", "down", "stable"]
    strength: Literal["strong", "moderate", "weak"]
    change_percent: float = Field(description="100 * slope * window span / |window mean|")
    slope_per_hour: float
    mean: float
    points: int = Field(description="buckets the line was fitted through")
    fitted_first: float = Field(description="the fitted line at the first bucket")
    fitted_last: float = Field(description="the fitted line at the last bucket")


class Answer(BaseModel):
    plugin_id: str
    generated_at: str = Field(description="ISO 8601, UTC")


class TrendsOut(Answer):
    hours: int
    method: str
    trends: dict[str, TrendOut] = Field(description="by metric (cpu_usage, error_rate, …)")


class WeekOut(BaseModel):
    week_starting: str
    average: Number


class MonthOut(BaseModel):
    month: str
    average: Number


class MetricPatternsOut(BaseModel):
    hour_of_day: list[Number] = Field(description="24 averages, midnight first")
    peak_hours: list[int]
    quiet_hours: list[int]
    day_of_week: dict[str, Number] = Field(description="averages by weekday, Monday first")
    busiest_day: str | None
    quietest_day: str | None
    weeks: list[WeekOut]
    months: list[MonthOut]


class PatternsOut(BaseModel):
    timezone: str
    usage_metric: str = Field(description="the heatmap's metric: requests if reported, else CPU")
    heatmap: list[list[Number]] = Field(description="7 weekdays (Monday first) x 24 hours")
    metrics: dict[str, MetricPatternsOut]


class UsagePatternsOut(Answer, PatternsOut):
    days: int


class BucketSeriesOut(BaseModel):
    average: list[Number]
    minimum: list[Number]
    maximum: list[Number]
    p95: list[Number]


class HistoryOut(BaseModel):
    timestamps: list[float] = Field(description="bucket starts, seconds since the epoch")
    metrics: dict[str, BucketSeriesOut]


class SummaryOut(BaseModel):
    average: Number
    minimum: Number
    maximum: Number
    current: Number
    unit: str


class CustomSummaryOut(BaseModel):
    average: float
    minimum: float
    maximum: float
    current: float
    samples: int
    unit: str


class ForecastOut(BaseModel):
    metric: str
    threshold: float
    fitted_now: float
    eta_seconds: Number = Field(description="null: not rising towards the line within 7 days")
    reaches_at: Number
    message: str


class AnalyticsReport(BaseModel):
    """The analytics report itself, as `AnalyticsService.analytics` builds it."""

    resolution: Literal["5m", "1h"]
    history: HistoryOut
    summary: dict[str, SummaryOut]
    custom: dict[str, CustomSummaryOut] = Field(
        description="custom and host metrics (load1, swap_percent, data_disk_percent, pushed "
        "custom values) over the window's raw samples"
    )
    trends: dict[str, TrendOut]
    patterns: PatternsOut
    forecasts: list[ForecastOut]


class AnalyticsOut(Answer, AnalyticsReport):
    hours: int
