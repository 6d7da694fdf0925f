"""Webhooks (admin only: a URL and its headers are credentials)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field, field_validator

from desktop_app.models.levels import AlertLevel
from desktop_app.models.webhooks import Webhook
from desktop_app.services.api.deps import Admin, WebhooksDep, actor
from desktop_app.services.api.schemas import LevelName, Strict, error_responses, iso

router = APIRouter(prefix="/api/advanced-monitoring", tags=["webhooks"])
ERRORS = error_responses(401, 403, 404, 422)


class WebhookIn(Strict):
    """Each notified alert event is POSTed to `url` in Alertmanager's webhook
    format (version 4)."""

    url: str = Field(min_length=8, max_length=2000, description="https:// (verified) or http://")
    min_level: LevelName = Field(default="warning", description="the lowest level sent")
    headers: dict[str, str] = Field(
        default_factory=dict, max_length=20, description="extra headers (values kept secret)"
    )
    hmac: bool = Field(
        default=False,
        description="sign each body: X-Plugin-Monitor-Signature-256: sha256=<HMAC of the body>",
    )

    @field_validator("min_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        return AlertLevel.parse(value).label


class WebhookOut(BaseModel):
    id: int
    url: str = Field(description="masked: scheme, host and port only")
    min_level: str
    header_names: list[str]
    signed: bool
    created_by: str
    created_at: str | None
    hmac_secret: str | None = Field(
        default=None, description="the signing secret: given once, when the webhook is made"
    )

    @classmethod
    def of(cls, webhook: Webhook, hmac_secret: str | None = None) -> WebhookOut:
        return cls(
            id=webhook.id,
            url=webhook.shown_url,
            min_level=webhook.min_level.label,
            header_names=list(webhook.header_names),
            signed=webhook.signed,
            created_by=webhook.created_by,
            created_at=iso(webhook.created_at),
            hmac_secret=hmac_secret,
        )


class WebhookTestOut(BaseModel):
    delivered: bool
    detail: str


WebhookId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the webhook's id")]


@router.get("/webhooks", response_model=list[WebhookOut], responses=ERRORS)
async def list_webhooks(webhooks: WebhooksDep, _who: Admin) -> list[WebhookOut]:
    return [WebhookOut.of(webhook) for webhook in await asyncio.to_thread(webhooks.current)]


@router.post("/webhooks", status_code=201, response_model=WebhookOut, responses=ERRORS)
async def add_webhook(body: WebhookIn, webhooks: WebhooksDep, who: Admin) -> WebhookOut:
    level = AlertLevel.parse(body.min_level)
    webhook, secret = await asyncio.to_thread(
        lambda: webhooks.add(
            url=body.url, min_level=level, headers=body.headers, sign=body.hmac, actor=actor(who)
        )
    )
    return WebhookOut.of(webhook, secret)


@router.delete("/webhooks/{webhook_id}", response_model=WebhookOut, responses=ERRORS)
async def remove_webhook(webhook_id: WebhookId, webhooks: WebhooksDep, who: Admin) -> WebhookOut:
    return WebhookOut.of(await asyncio.to_thread(webhooks.remove, webhook_id, actor(who)))


@router.post("/webhooks/{webhook_id}/test", response_model=WebhookTestOut, responses=ERRORS)
async def test_webhook(webhook_id: WebhookId, webhooks: WebhooksDep, _who: Admin) -> WebhookTestOut:
    """POST a test alert (rule `webhook_test`, level info) now and say how it went."""
    error = await asyncio.to_thread(webhooks.send_test, webhook_id)
    return WebhookTestOut(delivered=error is None, detail=error or "delivered")
