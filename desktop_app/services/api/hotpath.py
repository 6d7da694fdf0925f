"""The hot path: `POST /api/advanced-monitoring/update-metrics` answered in
front of FastAPI's routing and dependency machinery.

This is the endpoint plugins call every few seconds, many at once; FastAPI's
per-request dependency solving and middleware stack cost more than parsing,
authorising and committing the sample together. The logic is the same as the
documented route's (`ingest.store_push`, `deps.authenticate`), with the same
answers and errors; only the way in is shorter.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from desktop_app.errors import OperatorError
from desktop_app.models.auth import Role
from desktop_app.services.api.deps import ApiContext, check_role, principal_for
from desktop_app.services.api.errors import BadBody, status_for
from desktop_app.services.api.guard import DATA_HEADERS
from desktop_app.services.api.ingest import store_push
from desktop_app.services.api.limits import read_limited, too_large

log = logging.getLogger("plugin_monitor.api")

HOT_PATH = "/api/advanced-monitoring/update-metrics"


class HotPath:
    """In front of everything else; it checks the body size itself, so the
    size limit's own pass over the headers is spared on this route."""

    def __init__(self, app: ASGIApp, ctx: ApiContext, max_body_bytes: int) -> None:
        self.app = app
        self.ctx = ctx
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != HOT_PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        authorization: str | None = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value.decode("latin-1")
        client = scope.get("client")
        try:
            principal = principal_for(
                authorization,
                client[0] if client else None,
                self.ctx,
                read=False,
                needed=Role.OPERATOR,
                route=HOT_PATH,
            )
            check_role(principal, Role.OPERATOR)
            body = await read_limited(receive, self.max_body_bytes)
            if body is None:
                await _respond(send, 413, {"detail": too_large(self.max_body_bytes)})
                return
            ack = await store_push(self.ctx, body, principal)
        except HTTPException as error:
            await _respond(send, error.status_code, {"detail": str(error.detail)}, error.headers)
        except BadBody as error:
            payload: dict[str, Any] = {"detail": error.detail}
            if error.errors is not None:
                payload["errors"] = error.errors
            await _respond(send, error.status, payload)
        except OperatorError as error:
            await _respond(send, status_for(error), {"detail": str(error)})
        except Exception:
            log.exception("unexpected error on POST %s", HOT_PATH)
            await _respond(
                send, 500, {"detail": "internal error; the details are in logs/system.log"}
            )
        else:
            await _respond_raw(send, 200, ack.model_dump_json().encode())


async def _respond(
    send: Send, status: int, payload: dict[str, Any], headers: Mapping[str, str] | None = None
) -> None:
    await _respond_raw(send, status, json.dumps(payload).encode(), headers)


async def _respond_raw(
    send: Send, status: int, body: bytes, headers: Mapping[str, str] | None = None
) -> None:
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *DATA_HEADERS,
    ]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})
