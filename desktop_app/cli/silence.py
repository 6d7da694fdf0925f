"""`plugin-monitor silence add|list|remove`: silences from the command line,
beside a running monitor or without one (it takes them up within seconds)."""

from __future__ import annotations

import argparse
import re
import time
from datetime import datetime
from pathlib import Path

from desktop_app.cli.actor import cli_actor
from desktop_app.cli.offline import open_data_folder
from desktop_app.errors import OperatorError
from desktop_app.models.levels import AlertLevel
from desktop_app.models.silences import Silence
from desktop_app.models.timestamps import local_minute
from desktop_app.services.alerts.silences import SilenceService
from desktop_app.services.storage.silences import SilenceRows

UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|min|h|d)?$")


def duration_seconds(text: str) -> float:
    """ "90m", "2h", "1d" or plain minutes ("30")."""
    match = DURATION.match(text.strip().lower())
    if match is None or float(match.group(1)) <= 0:
        raise OperatorError(f"--duration {text!r}: give e.g. 30m, 2h or 1d")
    return float(match.group(1)) * UNITS[match.group(2) or "m"]


def moment(text: str) -> float:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise OperatorError(f"--until {text!r}: give a time like 2026-12-01T09:00") from None
    return (parsed if parsed.tzinfo else parsed.astimezone()).timestamp()


def shown(silence: Silence) -> str:
    matchers = " ".join(
        f"{name}{value}"
        for name, value in (
            ("plugin=", silence.plugin_key),
            ("rule=", silence.rule),
            ("level<=", None if silence.level is None else silence.level.label),
        )
        if value is not None
    )
    return (
        f"#{silence.id} {local_minute(silence.starts_at)} → {local_minute(silence.ends_at)} "
        f"{matchers or 'all alerts'} by {silence.created_by}: {silence.comment}"
    )


def run_silence(args: argparse.Namespace, data_dir: Path) -> int:
    _settings, engine = open_data_folder(data_dir)
    service = SilenceService(SilenceRows(engine))
    actor = cli_actor()
    try:
        if args.silence_command == "add":
            if (args.duration is None) == (args.until is None):
                raise OperatorError("give --duration or --until (one of them)")
            ends = (
                time.time() + duration_seconds(args.duration)
                if args.duration is not None
                else moment(args.until)
            )
            level = None if args.level is None else AlertLevel.parse(args.level)
            silence = service.add(
                plugin_key=args.plugin,
                rule=args.rule,
                level=level,
                starts_at=None,
                ends_at=ends,
                comment=args.comment,
                actor=actor,
            )
            print(f"silenced: {shown(silence)}")
        elif args.silence_command == "list":
            current = service.current()
            if not current:
                print("no silences")
            for silence in current:
                print(shown(silence))
        else:
            print(f"removed: {shown(service.remove(args.silence_id, actor))}")
    except ValueError as error:
        raise OperatorError(str(error)) from None
    finally:
        engine.dispose()
    return 0
