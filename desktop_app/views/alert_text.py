"""Alert text in the console's language. The words live with the core
(services/alerts/wording.py), which the API and webhooks use too; the
console's translation catalogue says which language it is."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.models.alerts import Alert
from desktop_app.services.alerts.wording import LANGUAGES, alert_message


def tr(text: str) -> str:
    return QCoreApplication.translate("AlertText", text)


def console_language() -> str:
    """The installed catalogue's language: it translates "en" to its own code."""
    code = tr("en")
    return code if code in LANGUAGES else "en"


def alert_text(alert: Alert) -> str:
    return alert_message(alert, console_language())
