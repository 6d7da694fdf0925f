"""Open alerts by level in words ("2 critical · 1 error"): what the badge,
the navigation, the window title and the tray tooltip all say, so they
never disagree."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.models.levels import AlertLevel


def tr(text: str) -> str:
    return QCoreApplication.translate("AlertCounts", text)


def parts(counts: dict[AlertLevel, int]) -> list[str]:
    """One "2 critical" per open level, worst first; [] when nothing is open."""
    return [
        tr("{n} {level}").format(n=n, level=tr(level.label)) for level, n in counts.items() if n
    ]


def summary(counts: dict[AlertLevel, int]) -> str:
    """Open alerts by level on one line: "2 critical · 1 error"."""
    return " · ".join(parts(counts))


def badge_text(counts: dict[AlertLevel, int], unread: int) -> str:
    """Open alerts first, the guide's unread count second."""
    now = summary(counts) or tr("No open alerts")
    return now + (" — " + tr("{n} new").format(n=unread) if unread else "")
