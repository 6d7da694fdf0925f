"""Webhooks: where notified alert events are POSTed, as Alertmanager would.

A webhook is two halves. What may be shown (a masked URL, the header names,
the lowest level it gets) is a `Webhook`; what must stay secret (the whole
URL, which often carries a token, the header values, the signing secret) is
a `WebhookSecret`, kept only in the secret store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from desktop_app.models.levels import AlertLevel

LOST_SECRET = "its secret is missing from the secret store; remove it and add it again"


@dataclass(frozen=True, slots=True)
class Webhook:
    id: int
    shown_url: str
    min_level: AlertLevel
    header_names: tuple[str, ...]
    signed: bool
    created_by: str
    created_at: float

    @property
    def secret_name(self) -> str:
        return secret_name(self.id)


def secret_name(webhook_id: int) -> str:
    """The secret store's name for a webhook's secret half."""
    return f"webhook-{webhook_id}"


@dataclass(frozen=True, slots=True)
class WebhookSecret:
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    hmac_secret: str | None = None

    def dumps(self) -> str:
        return json.dumps({"url": self.url, "headers": self.headers, "hmac": self.hmac_secret})

    @classmethod
    def loads(cls, text: str) -> WebhookSecret:
        data = json.loads(text)
        return cls(str(data["url"]), dict(data.get("headers") or {}), data.get("hmac"))


def mask_url(url: str) -> str:
    """The URL as it may be shown and logged: scheme, host and port only,
    since the path and query of a webhook URL are often its credential
    (Slack, Teams, Discord): `https://hooks.example.com/…`."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}/…"
