"""Where the API may listen: loopback freely, elsewhere only under TLS or by
the operator's explicit choice (checked without opening any port)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.config import ApiSettings
from desktop_app.errors import OperatorError
from desktop_app.services.api.transport import check_transport


def test_loopback_needs_no_tls() -> None:
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        assert check_transport(ApiSettings(host=host)) is None


def test_elsewhere_needs_tls_or_the_operators_word(tmp_path: Path) -> None:
    with pytest.raises(OperatorError, match=r"refusing to serve: the API listens on 0\.0\.0\.0"):
        check_transport(ApiSettings(host="0.0.0.0"))
    warning = check_transport(ApiSettings(host="0.0.0.0", insecure_bind=True))
    assert warning is not None and "clear text" in warning and "--insecure-bind" in warning
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    cert.write_text("x")
    key.write_text("x")
    assert (
        check_transport(ApiSettings(host="0.0.0.0", ssl_cert=str(cert), ssl_key=str(key))) is None
    )


def test_a_certificate_without_its_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OperatorError, match="go together"):
        check_transport(ApiSettings(ssl_cert=str(tmp_path / "c.pem")))
