"""The secret store on a real keyring backend (keyrings.alt's file, chosen
by PYTHON_KEYRING_BACKEND in the test's own folder), and its fallback to
owner-only files when no keyring works."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from desktop_app.models.auth import Role
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.auth.local import LOCAL_ADMIN_NAME, local_credential
from desktop_app.services.runtime import PluginMonitor
from desktop_app.services.secrets import SecretName, SecretStore
from tests.helpers import NO_API


def keyring_file() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "python_keyring" / "keyring_pass.cfg"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_secrets_live_in_the_keyring_one_entry_per_data_folder(tmp_path: Path) -> None:
    first, second = SecretStore(tmp_path / "a"), SecretStore(tmp_path / "b")
    assert first.fallback_notice() is None and "PlaintextKeyring" in first.location
    first.set(SecretName.TLS_PASSPHRASE, "one")
    second.set(SecretName.TLS_PASSPHRASE, "two")
    assert SecretStore(tmp_path / "a").get(SecretName.TLS_PASSPHRASE) == "one"
    assert second.get(SecretName.TLS_PASSPHRASE) == "two"
    assert keyring_file().exists() and not (tmp_path / "a" / "secrets").exists()
    assert first.delete(SecretName.TLS_PASSPHRASE)
    assert first.get(SecretName.TLS_PASSPHRASE) is None
    assert not first.delete(SecretName.TLS_PASSPHRASE)


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_secrets_are_owner_only_files(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    store = SecretStore(tmp_path / "d")
    notice = store.fallback_notice()
    assert notice is not None and str(tmp_path / "d" / "secrets") in notice
    store.set(SecretName.TLS_PASSPHRASE, "pass phrase")
    assert store.get(SecretName.TLS_PASSPHRASE) == "pass phrase"
    assert mode(store.folder) == 0o700
    assert mode(store.folder / "tls-passphrase") == 0o600
    assert os.listdir(store.folder) == ["tls-passphrase"]  # no temporary left behind


@pytest.mark.usefixtures("no_keyring")
@pytest.mark.expect_log_warnings
def test_the_fallback_is_said_once_in_the_log_and_to_the_console(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monitor = PluginMonitor.open(data_dir, collectors=[], api={"port": 0, "ws_port": 0})
    monitor.start(monitoring=False)
    try:
        said = [r for r in caplog.records if r.name == "plugin_monitor.secrets"]
        assert len(said) == 1 and said[0].levelno == logging.WARNING
        assert [p.source for p in monitor.start_problems] == ["secrets"]
        assert mode(data_dir / "secrets" / "local-admin") == 0o600
    finally:
        monitor.stop()


def test_the_monitor_keeps_one_working_local_admin_credential(data_dir: Path) -> None:
    def start() -> tuple[PluginMonitor, str | None]:
        monitor = PluginMonitor.open(data_dir, collectors=[], api={"port": 0, "ws_port": 0})
        monitor.start(monitoring=False)
        return monitor, local_credential(monitor.secrets)

    monitor, secret = start()
    keys = ApiKeyStore(monitor.database)
    principal = keys.verify(secret or "")
    assert principal is not None and principal.role is Role.ADMIN
    assert principal.name == LOCAL_ADMIN_NAME
    monitor.stop()
    monitor, again = start()
    assert again == secret, "a working credential is kept across restarts"
    ApiKeyStore(monitor.database).revoke(principal.key_id or 0)
    monitor.stop()
    monitor, replaced = start()
    try:
        keys = ApiKeyStore(monitor.database)
        assert replaced != secret and keys.verify(replaced or "") is not None
        local = [k for k in keys.list() if k.name == LOCAL_ADMIN_NAME and not k.revoked]
        assert len(local) == 1
    finally:
        monitor.stop()


def test_a_monitor_without_api_makes_no_credential(data_dir: Path) -> None:
    monitor = PluginMonitor.open(data_dir, collectors=[], api=NO_API)
    monitor.start(monitoring=False)
    try:
        assert local_credential(monitor.secrets) is None
    finally:
        monitor.stop()
