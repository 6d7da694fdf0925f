"""One POST of a webhook body: TLS verified, redirects refused, the
signature added, and every failure named and sorted into "try again" or
"will never work as configured"."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ssl
import urllib.error
import urllib.request
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from desktop_app.models.webhooks import WebhookSecret, mask_url

SIGNATURE_HEADER = "X-Plugin-Monitor-Signature-256"
TIMEOUT_SECONDS = 5.0
# Answers worth trying again: the receiver is busy or briefly broken.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def _user_agent() -> str:
    try:
        return f"plugin-monitor/{version('plugin-monitor')}"
    except PackageNotFoundError:
        return "plugin-monitor"


USER_AGENT = _user_agent()


class DeliveryError(Exception):
    """A POST that failed; `retry` says whether trying again may help."""

    def __init__(self, reason: str, *, retry: bool) -> None:
        super().__init__(reason)
        self.retry = retry


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could send alert text (and the signature) to another host:
    declined, so the 3xx comes back as an error naming it."""

    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(
    _RefuseRedirects(), urllib.request.HTTPSHandler(context=ssl.create_default_context())
)


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex>`: HMAC-SHA256 of the exact body, as GitHub signs its hooks."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(target: WebhookSecret, body: bytes, timeout: float) -> int:
    """POST `body`; the HTTP status on 2xx, else a `DeliveryError`."""
    headers = {**target.headers, "Content-Type": "application/json", "User-Agent": USER_AGENT}
    if target.hmac_secret:
        headers[SIGNATURE_HEADER] = signature(target.hmac_secret, body)
    request = urllib.request.Request(target.url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            status: int = answer.status
            return status
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            where = error.headers.get("Location", "elsewhere")
            refused = f"HTTP {error.code} to {mask_url(where)}: redirects are not followed"
            raise DeliveryError(f"{refused}; give the final URL", retry=False) from None
        raise DeliveryError(
            f"HTTP {error.code} {error.reason}", retry=error.code in RETRY_STATUSES
        ) from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, ssl.SSLCertVerificationError):
            raise DeliveryError(
                f"TLS certificate not trusted ({reason.verify_message})", retry=False
            ) from None
        raise DeliveryError(f"cannot connect ({reason})", retry=True) from None
    except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as error:
        raise DeliveryError(f"no answer ({error or type(error).__name__})", retry=True) from None
