"""When will a rising metric cross its threshold? A straight-line projection
of the window's trend from its fitted value now."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.services.analytics.trends import Trend

HORIZON_SECONDS = 7 * 86_400.0


@dataclass(frozen=True)
class Forecast:
    metric: str
    title: str
    unit: str
    threshold: float
    now: float  # the fitted value at the end of the window
    eta_seconds: float | None  # None: not rising towards the line within the horizon
    reaches_at: float | None
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "metric": self.metric,
            "threshold": self.threshold,
            "fitted_now": self.now,
            "eta_seconds": self.eta_seconds,
            "reaches_at": self.reaches_at,
            "message": self.message,
        }


def in_words(seconds: float) -> str:
    """'about 3 h', 'about 40 min', 'about 2 days'."""
    if seconds < 3600:
        return f"about {max(1, round(seconds / 60))} min"
    if seconds < 48 * 3600:
        return f"about {round(seconds / 3600)} h"
    return f"about {round(seconds / 86_400)} days"


def forecast(
    metric: str, *, title: str, unit: str, trend: Trend, threshold: float, now: float
) -> Forecast | None:
    """None when the threshold is off (0)."""
    if threshold <= 0:
        return None
    fitted = trend.fitted(now)
    line = f"{threshold:g} {unit}".rstrip()
    eta: float | None = None
    if fitted >= threshold:
        eta, message = 0.0, f"{title} is at its line of {line}"
    elif trend.slope_per_hour <= 0:
        message = f"{title} is not rising towards {line}"
    elif (threshold - fitted) / trend.slope_per_hour * 3600.0 > HORIZON_SECONDS:
        message = f"{title} does not reach {line} within 7 days"
    else:
        eta = (threshold - fitted) / trend.slope_per_hour * 3600.0
        message = f"{title} reaches {line} in {in_words(eta)}"
    return Forecast(
        metric=metric,
        title=title,
        unit=unit,
        threshold=threshold,
        now=fitted,
        eta_seconds=eta,
        reaches_at=None if eta is None else now + eta,
        message=message,
    )
