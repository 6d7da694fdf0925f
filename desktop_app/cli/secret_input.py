"""A secret asked of the operator: twice on a terminal, or one line of
standard input (`… < file`), never an argument (it would show in `ps`)."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from desktop_app.errors import OperatorError
from desktop_app.services.secrets import SecretStore


def ask_secret(what: str) -> str:
    """`what` names it in the prompt ("Passphrase of the TLS private key")."""
    if sys.stdin.isatty():
        first = getpass.getpass(f"{what}: ")
        if getpass.getpass("Again, to be sure: ") != first:
            raise OperatorError("the two passphrases differ; nothing was stored")
    else:
        first = sys.stdin.readline().rstrip("\r\n")
    if not first:
        raise OperatorError("an empty passphrase was given; nothing was stored")
    return first


def keep_secret(store: SecretStore, name: str, secret: str, used: str) -> None:
    """Store it and say where, and what `used` it from now on."""
    store.set(name, secret)
    print(f"stored in {store.location}; {used}")
    if notice := store.fallback_notice():
        print(f"plugin-monitor: note: {notice}", file=sys.stderr)


def read_secret_file(path: Path, what: str) -> str:
    """A key kept in a file (`--…-key-file`): its text without the line end;
    exit 2 naming the file when it cannot be read or is empty."""
    try:
        secret = path.expanduser().read_text(encoding="utf-8").strip()
    except OSError as error:
        raise OperatorError(f"{path}: cannot read the key ({error.strerror})") from None
    if not secret:
        raise OperatorError(f"{path} is empty; put {what} in it")
    return secret
