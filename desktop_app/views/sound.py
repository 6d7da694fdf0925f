"""An optional sound for critical alerts (`console.sound`, off by default):
QtMultimedia's `QSoundEffect` where it is installed (the `sound` extra,
PySide6-Addons, about 100 MB, so not a default dependency), else the
system beep."""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal
from PySide6.QtWidgets import QApplication

from desktop_app import bundled
from desktop_app.models.alerts import AlertEvent, AlertEventKind
from desktop_app.models.levels import AlertLevel

log = logging.getLogger("plugin_monitor.console")

SOUNDING = frozenset(
    {
        AlertEventKind.RAISED,
        AlertEventKind.ESCALATED,
        AlertEventKind.REOPENED,
        AlertEventKind.UNSILENCED,
    }
)


def tr(text: str) -> str:
    return QCoreApplication.translate("Settings", text)


def _sound_effect(parent: QObject) -> tuple[Any | None, str]:
    """The chime's player, or None and why not ("" when QtMultimedia is not
    installed; the loader's message when it is but cannot load, as without
    libpulse)."""
    try:
        from PySide6.QtMultimedia import QSoundEffect
    except ImportError as error:
        installed = importlib.util.find_spec("PySide6.QtMultimedia") is not None
        if installed:
            log.warning("QtMultimedia cannot load, critical alerts beep instead: %s", error)
        return None, str(error) if installed else ""
    effect = QSoundEffect(parent)
    effect.setSource(QUrl.fromLocalFile(str(bundled.chime())))
    return effect, ""


class CriticalSound(QObject):
    """Sounds once for each told critical raise, escalation, reopening or end of silence."""

    backend_changed = Signal(str)  # the chime turned out unplayable once loaded

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = False
        self.played = 0
        self._effect, self._unloadable = _sound_effect(self)
        if self._effect is not None:
            self._effect.statusChanged.connect(lambda: self.backend_changed.emit(self.backend))

    def _chime_plays(self) -> bool:
        from PySide6.QtMultimedia import QSoundEffect

        return self._effect is not None and self._effect.status() != QSoundEffect.Status.Error

    @property
    def backend(self) -> str:
        """What plays it, in the operator's words (the settings page says it)."""
        if self._effect is not None:
            if self._chime_plays():
                return tr("Plays a chime through QtMultimedia.")
            return tr("Plays the system beep: this machine's audio output cannot play the chime.")
        if self._unloadable:
            return tr("Plays the system beep: QtMultimedia cannot load ({reason}).").format(
                reason=self._unloadable
            )
        return tr(
            "Plays the system beep; install the 'sound' extra "
            "(pip install 'plugin-monitor[sound]') for a chime."
        )

    def on_alert(self, event: AlertEvent) -> None:
        if (
            self.enabled
            and event.notify
            and event.kind in SOUNDING
            and event.alert.level is AlertLevel.CRITICAL
        ):
            self.play()

    def play(self) -> None:
        self.played += 1
        if self._effect is not None and self._chime_plays():
            self._effect.play()
        else:
            QApplication.beep()
