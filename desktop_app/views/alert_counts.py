"""Open alerts by level in words ("2 critical · 1 error"): what the badge,
the navigation, the window title and the tray tooltip all say, so they
never disagree."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.models.levels import AlertLevel


def tr(text: str) -> str:
    return QCoreApplication.translate("AlertCounts", text)


def summary(counts: dict[AlertLevel, int]) -> str:
    """ "2 critical · 1 error", worst first; "" when nothing is open."""
    return " · ".join(
        tr("{n} {level}").format(n=n, level=tr(level.label)) for level, n in counts.items() if n
    )


def badge_text(counts: dict[AlertLevel, int], unread: int) -> str:
    """Open alerts first, the guide's unread count second."""
    now = summary(counts) or tr("No open alerts")
    return now + (" — " + tr("{n} new").format(n=unread) if unread else "")
