"""Encrypted backups (R23): sealed in framed AES-GCM chunks with the folder's
key (kept in a real keyring backend) or a passphrase; any change is refused."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from desktop_app.config import SettingsFile
from desktop_app.errors import OperatorError
from desktop_app.paths import DATABASE_NAME
from desktop_app.services.backup.archive import SEALED_SUFFIX, backups_in
from desktop_app.services.backup.sealing import (
    CHUNK,
    HEADER_BYTES,
    NONCE_BYTES,
    TAG_BYTES,
    is_sealed,
    needs_passphrase,
    new_key,
    seal,
    unseal,
)
from desktop_app.services.runtime import PluginMonitor
from desktop_app.services.secrets import SecretName
from tests.cli.test_cli import run
from tests.helpers import push

KEY = new_key()


@pytest.fixture
def sealed(tmp_path: Path) -> tuple[Path, bytes]:
    content = os.urandom(2 * CHUNK + 1000)  # three chunks, the last a short one
    plain = tmp_path / "plain"
    plain.write_bytes(content)
    seal(plain, tmp_path / "sealed", key=KEY)
    return tmp_path / "sealed", content


def opened(sealed: Path, **opener: str) -> bytes:
    out = sealed.with_name("opened")
    unseal(sealed, out, **opener)  # type: ignore[arg-type]
    return out.read_bytes()


def test_a_sealed_file_opens_with_its_key_and_only_with_it(sealed: tuple[Path, bytes]) -> None:
    path, content = sealed
    assert is_sealed(path) and content not in path.read_bytes()
    assert opened(path, key=KEY) == content
    with pytest.raises(OperatorError, match="encrypted with another backup key"):
        opened(path, key=new_key())
    with pytest.raises(OperatorError, match="give the exported key"):
        opened(path)
    assert not path.with_name("opened").exists(), "nothing half-written is left"


def test_a_passphrase_seals_and_a_wrong_one_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.write_bytes(b"monitoring data" * 1000)
    seal(plain, tmp_path / "sealed", passphrase="correct horse")
    assert opened(tmp_path / "sealed", passphrase="correct horse") == plain.read_bytes()
    with pytest.raises(OperatorError, match="or the passphrase is wrong"):
        opened(tmp_path / "sealed", passphrase="wrong horse")


def test_a_flipped_byte_a_cut_a_swap_or_a_tail_is_refused(sealed: tuple[Path, bytes]) -> None:
    path, _content = sealed
    whole = path.read_bytes()
    frame = 4 + NONCE_BYTES + CHUNK + TAG_BYTES
    first, second = HEADER_BYTES, HEADER_BYTES + frame
    cases = {
        "fails its check": whole[:500] + bytes([whole[500] ^ 1]) + whole[501:],
        "cut short": whole[: HEADER_BYTES + 2 * frame],
        "part 1 fails": whole[:first]
        + whole[second : second + frame]
        + whole[first:second]
        + whole[second + frame :],
        "data after its end": whole + b"\x00",
    }
    for why, altered in cases.items():
        path.write_bytes(altered)
        with pytest.raises(OperatorError, match=why):
            opened(path, key=KEY)


@pytest.mark.expect_log_warnings  # the key made: export it
def test_an_encrypted_backup_round_trips_through_the_folders_keyring(
    monitor: PluginMonitor, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    SettingsFile(monitor.paths.settings_file).apply([(("backup", "encrypt"), True)])
    monitor.settings_watcher.check()
    push(monitor, "app", cpu_percent=10.0)
    backup = monitor.backups.back_up_now(actor="test").result(30)
    assert backup.name.endswith(SEALED_SUFFIX) and backups_in(backup.path.parent) == [backup]
    assert not tarfile.is_tarfile(backup.path), "not readable without the key"
    key = monitor.secrets.get(SecretName.BACKUP_KEY)
    assert key is not None
    assert "made a backup key, kept in the OS keyring (PlaintextKeyring): export it" in caplog.text
    exported = run("backup", "export-key", data_dir=monitor.paths.root)
    assert exported.stdout.strip() == key and "keep this key off this machine" in exported.stderr
    tested = run("backup", "--verify-restore", data_dir=monitor.paths.root)
    assert tested.returncode == 0, tested.stderr
    key_file = tmp_path / "key.txt"
    key_file.write_text(key + "\n")
    elsewhere = tmp_path / "another-machine"
    restored = run("restore", backup.path, "--key-file", key_file, data_dir=elsewhere)
    assert restored.returncode == 0, restored.stderr
    assert (elsewhere / DATABASE_NAME).exists()
    without = run("restore", backup.path, data_dir=tmp_path / "a-third-machine")
    assert without.returncode == 2 and "give the exported key (--key-file)" in without.stderr


def test_a_passphrase_set_for_the_folder_seals_its_backups(
    monitor: PluginMonitor, tmp_path: Path
) -> None:
    command = [sys.executable, "-m", "desktop_app", "backup", "set-passphrase"]
    given = subprocess.run(
        [*command, "--data-dir", str(monitor.paths.root)],
        input="correct horse\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert given.returncode == 0, given.stderr
    SettingsFile(monitor.paths.settings_file).apply([(("backup", "encrypt"), True)])
    monitor.settings_watcher.check()
    backup = monitor.backups.back_up_now(actor="test").result(30)
    assert needs_passphrase(backup.path)
    words = tmp_path / "passphrase.txt"
    words.write_text("correct horse\n")
    elsewhere = tmp_path / "another-machine"
    restored = run("restore", backup.path, "--passphrase-file", words, data_dir=elsewhere)
    assert restored.returncode == 0, restored.stderr
