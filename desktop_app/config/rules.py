"""The kinds of value a setting takes, each with its check and its wording."""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable
from typing import Any, NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Validator = Callable[[Any], Any]


class Rule(NamedTuple):
    """How a setting's value is checked, said once for the file, the API,
    the command line and the console's form (which takes its range)."""

    check: Validator
    allowed: str
    low: float | None = None
    high: float | None = None

    def check_quietly(self, value: Any) -> bool:
        """True if `value` is allowed."""
        try:
            self.check(value)
        except (ValueError, TypeError):
            return False
        return True


def number(low: float, high: float, unit: str = "") -> Rule:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise ValueError
        if not low <= value <= high:
            raise ValueError
        return float(value)

    return Rule(check, f"a number from {low:g} to {high:g}{unit}", low, high)


def integer(low: int, high: int) -> Rule:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError
        return value

    return Rule(check, f"a whole number from {low} to {high}", low, high)


def choice(*options: str) -> Rule:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value.lower() not in options:
            raise ValueError
        return value.lower()

    return Rule(check, "one of " + ", ".join(f'"{o}"' for o in options))


def boolean() -> Rule:
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError
        return value

    return Rule(check, "true or false")


def text(max_length: int = 4096) -> Rule:
    def check(value: Any) -> str:
        if not isinstance(value, str) or len(value) > max_length:
            raise ValueError
        return value

    return Rule(check, f"text of at most {max_length} characters")


def text_list(max_items: int = 100, max_length: int = 255) -> Rule:
    """A list of short texts, kept as a tuple (settings are frozen)."""

    def check(value: Any) -> tuple[str, ...]:
        if not isinstance(value, list | tuple) or len(value) > max_items:
            raise ValueError
        if not all(isinstance(item, str) and 0 < len(item) <= max_length for item in value):
            raise ValueError
        return tuple(value)

    return Rule(check, f'a list of up to {max_items} texts, e.g. ["a", "b"]')


def address_list(max_items: int = 100) -> Rule:
    """A list of IP addresses (v4 or v6)."""

    def check(value: Any) -> tuple[str, ...]:
        if not isinstance(value, list | tuple) or len(value) > max_items:
            raise ValueError
        return tuple(str(ipaddress.ip_address(item)) for item in value)

    return Rule(check, f'a list of up to {max_items} IP addresses, e.g. ["127.0.0.1"]')


def time_zone() -> Rule:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError from None
        return value

    return Rule(check, 'an IANA time zone name such as "Asia/Seoul", or "" for this computer\'s')


def database_url() -> Rule:
    """ "" (the data folder's SQLite file) or a PostgreSQL URL without a
    password: a settings file is read by anyone who may read the settings,
    so the password belongs in ~/.pgpass or PGPASSWORD."""

    def check(value: Any) -> str:
        if not isinstance(value, str) or len(value) > 1000:
            raise ValueError
        if value:
            parts = urlsplit(value)
            if parts.scheme not in ("postgresql", "postgresql+psycopg", "postgres"):
                raise ValueError
            if parts.password is not None or not parts.hostname:
                raise ValueError
        return value

    return Rule(
        check,
        '"" for SQLite in the data folder, or postgresql://user@host:5432/database '
        "(no password: put it in ~/.pgpass or PGPASSWORD)",
    )
