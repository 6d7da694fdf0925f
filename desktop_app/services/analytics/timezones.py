"""The operator's time zone: the setting, else this computer's own."""

from __future__ import annotations

import functools
import os
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOCALTIME = Path("/etc/localtime")


@functools.lru_cache(maxsize=8)
def operator_timezone(name: str = "") -> tzinfo:
    """`name` (an IANA zone) or, when empty, the system's zone with its DST rules."""
    if name:
        return ZoneInfo(name)
    configured = os.environ.get("TZ", "").lstrip(":")
    if configured:
        try:
            return ZoneInfo(configured)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    if LOCALTIME.exists():
        with LOCALTIME.open("rb") as handle:
            return ZoneInfo.from_file(handle, key=_zone_key())
    zone = datetime.now().astimezone().tzinfo
    return zone if zone is not None else ZoneInfo("UTC")


def _zone_key() -> str:
    """'Asia/Seoul' from the /etc/localtime link, for display."""
    try:
        target = str(LOCALTIME.resolve())
    except OSError:
        return "localtime"
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else "localtime"
