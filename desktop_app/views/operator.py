"""Who acts from this console, as audit rows and alert changes name them."""

from __future__ import annotations

import getpass


def console_actor() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "operator"
    return f"{user} (console)"
