"""Alert levels, ordered so that a higher level is a worse state."""

from __future__ import annotations

from enum import IntEnum


class AlertLevel(IntEnum):
    """The guide's four levels; integer values allow `max()` and comparisons."""

    INFO = 10
    WARNING = 20
    ERROR = 30
    CRITICAL = 40

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> AlertLevel:
        """Level from its name in any case; a clear ValueError names the choices."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(level.label for level in cls)
            raise ValueError(f"unknown alert level {text!r}; choose one of {choices}") from None
