"""The TLS files, checked before the server starts: every fault names the
file and its cause (made with openssl, loaded by the real TLS library)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.config import ApiSettings
from desktop_app.errors import OperatorError
from desktop_app.services.api.tls import ENV_SSL_PASSPHRASE, check_tls
from desktop_app.services.secrets import SecretName, SecretStore
from tests.certificates import make_certificate

PASSPHRASE = "s3cret phrase"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = make_certificate(folder / "protected", PASSPHRASE)
    other_cert, other_key = make_certificate(folder / "other")
    return {"cert": cert, "key": key, "other_cert": other_cert, "other_key": other_key}


def settings(cert: Path | str, key: Path | str, password_file: str = "") -> ApiSettings:
    return ApiSettings(ssl_cert=str(cert), ssl_key=str(key), ssl_key_password_file=password_file)


def test_plain_http_needs_no_files() -> None:
    assert check_tls(ApiSettings(), None) is None


def test_missing_and_non_pem_files_are_named(tmp_path: Path, files: dict[str, Path]) -> None:
    with pytest.raises(OperatorError, match=r"c\.pem: no such file \(given as api\.ssl_cert\)"):
        check_tls(settings(tmp_path / "c.pem", files["other_key"]), None)
    with pytest.raises(OperatorError, match=r"k\.pem: no such file \(given as api\.ssl_key\)"):
        check_tls(settings(files["other_cert"], tmp_path / "k.pem"), None)
    with pytest.raises(OperatorError, match=r"key\.pem: not a PEM certificate"):
        check_tls(settings(files["other_key"], files["other_key"]), None)
    with pytest.raises(OperatorError, match=r"cert\.pem: not a PEM private key"):
        check_tls(settings(files["other_cert"], files["other_cert"]), None)


def test_a_key_that_is_not_the_certificates_is_said_so(files: dict[str, Path]) -> None:
    with pytest.raises(OperatorError, match=r"key\.pem is not the private key of .*cert\.pem"):
        check_tls(settings(files["cert"], files["other_key"]), None)


def test_a_protected_key_without_a_passphrase_says_how_to_give_one(
    files: dict[str, Path], tmp_path: Path
) -> None:
    with pytest.raises(OperatorError) as refused:
        check_tls(settings(files["cert"], files["key"]), SecretStore(tmp_path))
    message = str(refused.value)
    assert message.startswith(f"{files['key']}: the private key is protected by a passphrase")
    assert "tls set-passphrase" in message and ENV_SSL_PASSPHRASE in message


def test_a_wrong_passphrase_names_where_it_came_from(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SecretStore(tmp_path)
    store.set(SecretName.TLS_PASSPHRASE, "wrong")
    with pytest.raises(OperatorError, match=r"the passphrase from the secret store .* does not"):
        check_tls(settings(files["cert"], files["key"]), store)
    monkeypatch.setenv(ENV_SSL_PASSPHRASE, "also wrong")
    with pytest.raises(OperatorError, match=rf"from \${ENV_SSL_PASSPHRASE} does not open"):
        check_tls(settings(files["cert"], files["key"]), store)
    password_file = tmp_path / "passphrase"
    password_file.write_text("wrong again\n")
    with pytest.raises(OperatorError, match=rf"from {password_file} does not open"):
        check_tls(settings(files["cert"], files["key"], str(password_file)), store)
    missing = str(tmp_path / "nowhere")
    with pytest.raises(OperatorError, match=r"nowhere: no such file \(given as api\.ssl_key_pass"):
        check_tls(settings(files["cert"], files["key"], missing), store)


def test_the_right_passphrase_is_handed_to_the_server(
    files: dict[str, Path], tmp_path: Path
) -> None:
    store = SecretStore(tmp_path)
    store.set(SecretName.TLS_PASSPHRASE, PASSPHRASE)
    tls = check_tls(settings(files["cert"], files["key"]), store)
    assert tls is not None and tls.passphrase == PASSPHRASE
    plain = check_tls(settings(files["other_cert"], files["other_key"]), store)
    assert plain is not None and plain.passphrase is None
