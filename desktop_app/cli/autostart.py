"""`plugin-monitor autostart on|off|status`: start the console at login,
the same switch as the Settings page's, for a machine set up from a shell."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app import autostart


def add_autostart_command(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "autostart",
        parents=[common],
        help="start the console when you log in (an XDG autostart entry; Linux)",
    )
    parser.add_argument("state", choices=("on", "off", "status"), help="turn on, off, or show")


def run_autostart(args: argparse.Namespace, data_dir: Path) -> int:
    if args.state == "on":
        path = autostart.turn_on(data_dir)
        print(f"the console starts when you log in, on {data_dir} ({path})")
    elif args.state == "off":
        path = autostart.turn_off()
        print(f"the console no longer starts when you log in ({path} removed)")
    elif autostart.is_on():
        print(f"on: {autostart.entry_path()}")
    else:
        print("off")
    return 0
