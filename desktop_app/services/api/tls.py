"""TLS for the API: the certificate, its private key and the key's
passphrase, checked before uvicorn sees them (R22).

Left to the TLS library, a protected key asks for its passphrase on a
terminal the monitor does not have and fails with `[Errno 22]`, and every
other fault is "PEM lib". Checked here, each fault names the file and the
cause: missing, not PEM, protected without a passphrase, wrong passphrase,
or a key that is not the certificate's.

The passphrase comes from `api.ssl_key_password_file`
(`--ssl-keyfile-password-file`), else `$PLUGIN_MONITOR_SSL_PASSPHRASE`, else
the secret store (`plugin-monitor tls set-passphrase`); never the settings.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from pathlib import Path

from desktop_app.config import ApiSettings
from desktop_app.errors import OperatorError
from desktop_app.services.secrets import SecretName, SecretStore

ENV_SSL_PASSPHRASE = "PLUGIN_MONITOR_SSL_PASSPHRASE"
HOW_TO_GIVE = (
    "store it with `plugin-monitor tls set-passphrase`, or give --ssl-keyfile-password-file "
    f"PATH or ${ENV_SSL_PASSPHRASE}"
)


@dataclass(frozen=True)
class TlsFiles:
    cert: str
    key: str
    passphrase: str | None


def key_passphrase(settings: ApiSettings, secrets: SecretStore | None) -> tuple[str | None, str]:
    """The passphrase and where it came from (for messages); (None, "") if none is given."""
    if settings.ssl_key_password_file:
        text = _read(settings.ssl_key_password_file, "api.ssl_key_password_file")
        return text.rstrip("\r\n"), settings.ssl_key_password_file
    if (given := os.environ.get(ENV_SSL_PASSPHRASE)) is not None:
        return given, f"${ENV_SSL_PASSPHRASE}"
    if secrets is not None and (stored := secrets.get(SecretName.TLS_PASSPHRASE)) is not None:
        return stored, f"the secret store ({secrets.location})"
    return None, ""


def check_tls(settings: ApiSettings, secrets: SecretStore | None) -> TlsFiles | None:
    """The files uvicorn may load, proven loadable; None for plain HTTP."""
    cert, key = settings.ssl_cert, settings.ssl_key
    if not cert:
        return None
    if "-----BEGIN CERTIFICATE-----" not in _read(cert, "api.ssl_cert"):
        raise OperatorError(f"{cert}: not a PEM certificate (given as api.ssl_cert)")
    key_text = _read(key, "api.ssl_key")
    if "PRIVATE KEY-----" not in key_text:
        raise OperatorError(f"{key}: not a PEM private key (given as api.ssl_key)")
    protected = "ENCRYPTED" in key_text
    passphrase, source = key_passphrase(settings, secrets) if protected else (None, "")
    if protected and passphrase is None:
        raise OperatorError(f"{key}: the private key is protected by a passphrase; {HOW_TO_GIVE}")
    return TlsFiles(cert, key, opens(cert, key, passphrase, source))


def opens(cert: str, key: str, passphrase: str | None, source: str) -> str | None:
    """`passphrase` if it opens `key` and the key is `cert`'s; OperatorError saying
    which of the two is wrong otherwise."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        # A str, never None: None would make OpenSSL prompt on the terminal.
        context.load_cert_chain(cert, key, password=passphrase or "")
    except ssl.SSLError as error:
        if error.reason == "KEY_VALUES_MISMATCH":
            raise OperatorError(
                f"{key} is not the private key of {cert}: give the key the certificate was "
                "made with"
            ) from None
        if passphrase is not None:
            raise OperatorError(
                f"{key}: the passphrase from {source} does not open this private key"
            ) from None
        raise OperatorError(f"{cert}, {key}: refused by TLS ({error.reason or error})") from None
    return passphrase


def _read(file: str, setting: str) -> str:
    try:
        return Path(file).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise OperatorError(f"{file}: no such file (given as {setting})") from None
    except OSError as error:
        raise OperatorError(
            f"{file}: cannot be read: {error.strerror} (given as {setting})"
        ) from None
