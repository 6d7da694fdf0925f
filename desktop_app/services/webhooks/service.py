"""Webhooks as the API, the command line and the console make them: checked
when made, the secret half in the secret store, the rest in the database."""

from __future__ import annotations

import json
import re
import secrets as random
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

from desktop_app.errors import OperatorError
from desktop_app.models.levels import AlertLevel
from desktop_app.models.webhooks import (
    LOST_SECRET,
    Webhook,
    WebhookSecret,
    mask_url,
    secret_name,
)
from desktop_app.services.secrets import SecretStore
from desktop_app.services.storage.webhooks import WebhookRows
from desktop_app.services.webhooks.payload import alertmanager_payload, test_event
from desktop_app.services.webhooks.post import TIMEOUT_SECONDS, DeliveryError, post

HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")
# Set by the sender itself: a webhook that overrode them would break the body.
RESERVED_HEADERS = frozenset({"host", "content-length", "content-type", "transfer-encoding"})
LONGEST_URL = 2000


class WebhookError(OperatorError):
    """A webhook that cannot be made as asked (422)."""


class WebhookNotFoundError(OperatorError):
    def __init__(self, webhook_id: int) -> None:
        super().__init__(f"no webhook with id {webhook_id}")


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(f"the URL must start with https:// or http:// and name a host: {url!r}")
    if len(url) > LONGEST_URL:
        raise WebhookError(f"the URL is longer than {LONGEST_URL} characters")
    return url.strip()


def check_headers(headers: Mapping[str, str]) -> dict[str, str]:
    for name, value in headers.items():
        if not HEADER_NAME.match(name) or name.lower() in RESERVED_HEADERS:
            raise WebhookError(f"header {name!r} cannot be set on a webhook")
        if "\r" in value or "\n" in value or len(value) > 4000:
            raise WebhookError(f"the value of header {name!r} must be one line")
    return dict(headers)


def parse_header(text: str) -> tuple[str, str]:
    """`NAME:VALUE`, as the command line takes it."""
    name, colon, value = text.partition(":")
    if not colon or not name.strip():
        raise WebhookError(f"header {name.strip() or text!r}: write it as NAME: VALUE")
    return name.strip(), value.strip()


class WebhookService:
    def __init__(self, rows: WebhookRows, secrets: SecretStore) -> None:
        self._rows = rows
        self._secrets = secrets

    def add(
        self,
        *,
        url: str,
        min_level: AlertLevel,
        headers: Mapping[str, str],
        sign: bool,
        actor: str,
    ) -> tuple[Webhook, str | None]:
        """The new webhook and its signing secret (None unless `sign`); the
        secret is shown this once and never again."""
        target = WebhookSecret(
            check_url(url), check_headers(headers), random.token_urlsafe(32) if sign else None
        )
        webhook = Webhook(
            0, mask_url(target.url), min_level, tuple(target.headers), sign, actor, time.time()
        )

        def keep(webhook_id: int) -> None:
            self._secrets.set(secret_name(webhook_id), target.dumps())

        return self._rows.add(webhook, keep), target.hmac_secret

    def remove(self, webhook_id: int, actor: str) -> Webhook:
        removed = self._rows.remove(webhook_id, actor)
        if removed is None:
            raise WebhookNotFoundError(webhook_id)
        self._secrets.delete(secret_name(webhook_id))
        return removed

    def current(self) -> list[Webhook]:
        return self._rows.current()

    def target(self, webhook: Webhook) -> WebhookSecret | None:
        """The secret half; None when the secret store has lost it."""
        stored = self._secrets.get(webhook.secret_name)
        return None if stored is None else WebhookSecret.loads(stored)

    def send_test(self, webhook_id: int) -> str | None:
        """POST a test alert now; None if it was delivered, else why not."""
        webhook = next((w for w in self.current() if w.id == webhook_id), None)
        if webhook is None:
            raise WebhookNotFoundError(webhook_id)
        target = self.target(webhook)
        if target is None:
            return LOST_SECRET
        event = test_event(time.time())
        payload = alertmanager_payload(
            event,
            severity=event.alert.level,
            receiver=f"plugin-monitor-webhook-{webhook_id}",
            external_url="",
            summary=lambda alert: alert.message,
        )
        try:
            post(target, json.dumps(payload).encode(), TIMEOUT_SECONDS)
        except DeliveryError as error:
            return str(error)
        return None
