"""This machine's monitor: its address from the data folder's settings, and
the folder's local admin credential from the secret store, so a script on
the machine needs no key (as the command line)."""

from __future__ import annotations

import ssl
from pathlib import Path
from urllib.parse import urlsplit

from desktop_app.config import ApiSettings, SettingsFile
from desktop_app.errors import OperatorError
from desktop_app.loopback import is_loopback
from desktop_app.paths import DataPaths
from desktop_app.services.secrets import SecretName, SecretStore


def own_host(api: ApiSettings) -> str:
    """The host of this data folder's monitor in a URL, loopback when it
    listens on every address."""
    host = "127.0.0.1" if api.host in ("0.0.0.0", "::", "") else api.host
    return f"[{host}]" if ":" in host else host


def own_api_url(api: ApiSettings) -> str:
    return f"{'https' if api.ssl_cert else 'http'}://{own_host(api)}:{api.port}"


def api_settings(data_dir: Path) -> ApiSettings:
    paths = DataPaths(data_dir)
    if not paths.settings_file.exists():
        raise OperatorError(f"{data_dir} holds no Plugin Monitor data folder (no settings)")
    return SettingsFile(paths.settings_file).load().api


def is_own_api(url: str, api: ApiSettings) -> bool:
    parts = urlsplit(url)
    return is_loopback(parts.hostname) and parts.port == api.port


def local_token(data_dir: Path) -> str:
    token = SecretStore(data_dir).get(SecretName.LOCAL_ADMIN)
    if token is None:
        raise OperatorError(
            f"no local credential for {data_dir}: start the monitor once "
            "(plugin-monitor serve, or the console) to create it"
        )
    return token


def verify_for(api: ApiSettings) -> ssl.SSLContext | bool:
    """The monitor's own certificate is trusted as its own anchor."""
    if not api.ssl_cert:
        return True
    context = ssl.create_default_context(cafile=api.ssl_cert)
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    return context
