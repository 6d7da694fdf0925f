"""Certificates made the way the README tells an operator to (openssl, with
the names Python clients check), for the tests of TLS."""

from __future__ import annotations

import subprocess
from pathlib import Path


def make_certificate(folder: Path, passphrase: str | None = None) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 and its private
    key, protected by `passphrase` when one is given."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "cert.pem", folder / "key.pem"
    protection = ["-passout", f"pass:{passphrase}"] if passphrase else ["-nodes"]
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            *protection,
        ],
        check=True,
        capture_output=True,
    )
    return cert, key
