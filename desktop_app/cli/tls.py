"""`plugin-monitor tls set-passphrase | forget-passphrase`: the passphrase of
the API's TLS private key, kept in the secret store of the data folder.

The passphrase is asked twice on a terminal, or read as one line from
standard input (`… < file`), never taken as an argument (it would show in
`ps`). When the folder's settings name a protected key, the passphrase is
tried on it first, so a typo is caught now rather than at the next start.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.secret_input import ask_secret, keep_secret
from desktop_app.config import SettingsFile
from desktop_app.paths import DataPaths
from desktop_app.services.api.tls import opens
from desktop_app.services.secrets import SecretName, SecretStore


def run_tls(args: argparse.Namespace, data_dir: Path) -> int:
    paths = DataPaths(data_dir)
    paths.prepare()
    store = SecretStore(paths.root)
    if args.tls_command == "forget-passphrase":
        found = store.delete(SecretName.TLS_PASSPHRASE)
        print("passphrase forgotten" if found else "no passphrase was stored")
        return 0
    passphrase = ask_secret("Passphrase of the TLS private key")
    settings_file = SettingsFile(paths.settings_file)
    api = settings_file.load().api if paths.settings_file.exists() else None
    if api is not None and api.ssl_cert and api.ssl_key:
        opens(api.ssl_cert, api.ssl_key, passphrase, "what you typed")
    keep_secret(
        store, SecretName.TLS_PASSPHRASE, passphrase, "the monitor uses it from its next start"
    )
    return 0
