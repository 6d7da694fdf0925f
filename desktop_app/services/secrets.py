"""The one place the monitor keeps secrets (R23): the local admin credential,
the TLS key's passphrase, and later backup keys, remote-monitor keys and
webhook URLs. Nothing else writes a secret anywhere.

Secrets go to the OS keyring (Secret Service, macOS Keychain, Windows
Credential Locker) through `keyring`, one entry per data folder, so two
monitors on one account keep theirs apart. Where no real keyring works (a
headless Linux host has no Secret Service), they fall back to `secrets/` in
the data folder, 0700 with each file 0600, and the store says so once, in
the log and to whoever shows problems (the console's status bar). The
low-priority file keyrings of `keyrings.alt` are used only when chosen
explicitly (`PYTHON_KEYRING_BACKEND` or keyring's config file): unchosen,
they are no safer than the fallback, and the encrypted one would prompt on a
terminal the monitor does not have.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets as random
from enum import StrEnum
from pathlib import Path

import keyring
import keyring.core
from keyring.backend import KeyringBackend
from keyring.backends import fail

log = logging.getLogger("plugin_monitor.secrets")

SERVICE = "plugin-monitor"
# Real OS keyrings have priority 1 and above; keyrings.alt's files are 0.5 to 0.6.
OS_KEYRING_PRIORITY = 1.0


class SecretName(StrEnum):
    """Fixed names; a webhook's secret is `webhook-<id>` (models/webhooks.py)."""

    LOCAL_ADMIN = "local-admin"
    TLS_PASSPHRASE = "tls-passphrase"
    BACKUP_KEY = "backup-key"
    BACKUP_PASSPHRASE = "backup-passphrase"
    FORWARD_KEY = "forward-key"  # the central monitor's API key of a forwarding agent


def _chosen_keyring() -> tuple[KeyringBackend | None, str]:
    """The keyring to use, or None and why there is none."""
    try:
        chosen = keyring.core.load_env() or keyring.core.load_config()
        backend = chosen or keyring.get_keyring()
    except Exception as error:  # any backend may fail while loading
        return None, f"the keyring could not be loaded ({error})"
    if isinstance(backend, fail.Keyring):
        return None, "no OS keyring is available on this machine"
    if chosen is None and backend.priority < OS_KEYRING_PRIORITY:
        return None, f"no OS keyring is available (only {type(backend).__name__})"
    return backend, ""


class SecretStore:
    """Secrets of one data folder, by name."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / "secrets"
        self._account = str(data_dir)
        self._keyring, reason = _chosen_keyring()
        self.fallback_reason = reason

    @property
    def location(self) -> str:
        """Where secrets are kept, in the operator's words."""
        if self._keyring is not None:
            return f"the OS keyring ({type(self._keyring).__name__})"
        return f"{self.folder} (owner only)"

    def get(self, name: str) -> str | None:
        """The secret, from the keyring or else the fallback folder; None if unset."""
        if self._keyring is not None:
            try:
                value = self._keyring.get_password(SERVICE, self._entry(name))
            except Exception as error:  # a locked or broken keyring
                self._fall_back(f"the keyring could not be read ({error})")
            else:
                if value is not None:
                    return value
        try:
            return (self.folder / name).read_text(encoding="utf-8") or None
        except FileNotFoundError:
            return None

    def set(self, name: str, value: str) -> None:
        if self._keyring is not None:
            try:
                self._keyring.set_password(SERVICE, self._entry(name), value)
            except Exception as error:
                self._fall_back(f"the keyring could not be written ({error})")
            else:
                with contextlib.suppress(FileNotFoundError):
                    (self.folder / name).unlink()  # a stale copy from a fallback
                return
        self._write_file(name, value)

    def delete(self, name: str) -> bool:
        """Forget the secret; True if there was one."""
        found = False
        if self._keyring is not None:
            with contextlib.suppress(Exception):
                self._keyring.delete_password(SERVICE, self._entry(name))
                found = True
        with contextlib.suppress(FileNotFoundError):
            (self.folder / name).unlink()
            found = True
        return found

    def fallback_notice(self) -> str | None:
        """The line to show the operator when secrets live in files; None otherwise."""
        if self._keyring is not None:
            return None
        return (
            f"secrets are kept in {self.folder} (owner only): {self.fallback_reason}; "
            "install and unlock a keyring (e.g. gnome-keyring) to keep them there"
        )

    def announce(self) -> str | None:
        """Say in the log where secrets are kept when it is the fallback, and
        return the line for the console; None when the keyring holds them."""
        notice = self.fallback_notice()
        if notice is not None:
            log.warning("%s", notice)
        return notice

    def _entry(self, name: str) -> str:
        return f"{name}@{self._account}"

    def _fall_back(self, reason: str) -> None:
        """A keyring that worked at start and fails now: files from here on, said once."""
        self._keyring, self.fallback_reason = None, reason
        log.warning("%s", self.fallback_notice())

    def _write_file(self, name: str, value: str) -> None:
        """Written whole under a temporary name and renamed, 0600 from the start."""
        self.folder.mkdir(mode=0o700, exist_ok=True)
        self.folder.chmod(0o700)
        temporary = self.folder / f".{name}.{random.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(value)
        os.replace(temporary, self.folder / name)
