"""A plugin's process state (PluginState's spelling) as the console shows it:
the words, and the colour a card or row takes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.models.levels import AlertLevel
from desktop_app.views.style import DISABLED_COLOUR, LEVEL_COLOURS


def tr(text: str) -> str:
    return QCoreApplication.translate("Plugins", text)


def state_text(state: str) -> str:
    words = {
        "running": tr("running"),
        "starting": tr("starting"),
        "stopped": tr("stopped"),
        "crashed": tr("crashed"),
        "crash_loop": tr("crash loop"),
        "disabled": tr("disabled"),
        "watched": tr("not started here"),
        "invalid_manifest": tr("invalid manifest"),
        "gone": tr("folder removed"),
    }
    return words.get(state, state)


# States that are news on a card, with their colour; running ones show their alerts.
TROUBLE_COLOURS = {
    "crashed": LEVEL_COLOURS[AlertLevel.ERROR],
    "crash_loop": LEVEL_COLOURS[AlertLevel.CRITICAL],
    "invalid_manifest": LEVEL_COLOURS[AlertLevel.ERROR],
    "stopped": DISABLED_COLOUR,
    "gone": DISABLED_COLOUR,
}
