"""Who acts from the command line, as audit rows and alert changes name them."""

from __future__ import annotations

import getpass


def cli_actor() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "operator"
    return f"cli ({user})"
