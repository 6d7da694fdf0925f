"""Alert levels, ordered so that a higher level is a worse state."""

from __future__ import annotations

from enum import IntEnum
from typing import TypeVar

E = TypeVar("E", bound=IntEnum)


def parse_name(kind: type[E], text: str, what: str) -> E:
    """A member from its name in any case, or a ValueError naming the choices."""
    try:
        return kind[text.strip().upper()]
    except KeyError:
        choices = ", ".join(member.name.lower() for member in kind)
        raise ValueError(f"unknown {what} {text!r}; choose one of {choices}") from None


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
        return parse_name(cls, text, "alert level")
