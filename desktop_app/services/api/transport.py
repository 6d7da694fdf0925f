"""Whether the API may listen where it is asked to (R22).

Keys travel in every request, so off this machine they must travel under
TLS: a bind to anything but loopback without a certificate is refused unless
the operator says, with `--insecure-bind`, that clear text is what they want,
and then it is said in the log and the console. The certificate files
themselves are checked in `tls`.
"""

from __future__ import annotations

from desktop_app.config import ApiSettings
from desktop_app.errors import OperatorError
from desktop_app.loopback import is_loopback

__all__ = ["check_transport", "is_loopback"]


def check_transport(settings: ApiSettings) -> str | None:
    """Refuse what may not run (OperatorError); the warning for what runs in
    clear text off this machine by the operator's choice; None when all is well."""
    if bool(settings.ssl_cert) != bool(settings.ssl_key):
        raise OperatorError(
            "api.ssl_cert and api.ssl_key go together (--ssl-cert and --ssl-key): "
            "give both, or neither for plain HTTP on this machine"
        )
    if settings.ssl_cert or is_loopback(settings.host):
        return None
    message = (
        f"the API listens on {settings.host} without TLS: API keys cross the network in "
        "clear text; give --ssl-cert and --ssl-key"
    )
    if not settings.insecure_bind:
        raise OperatorError(
            f"refusing to serve: {message}, or --insecure-bind (api.insecure_bind = true) "
            "to accept clear text"
        )
    return message + " (allowed by --insecure-bind)"
