"""Every error is JSON that says what is wrong; never a traceback, never a 5xx
for bad input."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from desktop_app.errors import (
    DatabaseError,
    LeftToServerError,
    NotPermittedError,
    OperatorError,
    PluginStateError,
    SettingsError,
    UnknownPluginError,
)
from desktop_app.services.alerts.changes import UndoRefusedError
from desktop_app.services.alerts.messages import AlertNotFoundError
from desktop_app.services.alerts.silences import SilenceError, SilenceNotFoundError
from desktop_app.services.storage.database import database_errors, database_words, is_damage
from desktop_app.services.storage.writer import WriterStoppedError
from desktop_app.services.webhooks.service import WebhookError, WebhookNotFoundError

log = logging.getLogger("plugin_monitor.api")


def field_path(loc: Sequence[Any]) -> str:
    path = ""
    for part in loc:
        if part in ("body", "query", "path"):
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def field_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    return [
        {"field": field_path(e.get("loc", ())), "problem": str(e.get("msg", "invalid"))}
        for e in errors
    ]


class BadBody(Exception):
    """Raised by routes that parse their own body: 400 or 422 with the fields."""

    def __init__(self, status: int, detail: str, errors: list[dict[str, str]] | None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors


def bad_body(error: ValidationError) -> BadBody:
    details = error.errors(include_url=False)
    invalid_json = [e for e in details if e.get("type") == "json_invalid"]
    if invalid_json:
        reason = invalid_json[0].get("ctx", {}).get("error", "not JSON")
        return BadBody(400, f"malformed JSON: {reason}", None)
    if any(e.get("type") == "model_type" and not e.get("loc") for e in details):
        return BadBody(422, "the body must be a JSON object", field_errors(details))
    return BadBody(422, "invalid request body", field_errors(details))


def error_response(
    status: int, detail: str, errors: Any = None, headers: Any = None
) -> JSONResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers)


_OPERATOR_STATUS: tuple[tuple[type[OperatorError], int], ...] = (
    (UnknownPluginError, 404),
    (NotPermittedError, 403),
    (PluginStateError, 409),
    (LeftToServerError, 409),
    (AlertNotFoundError, 404),
    (UndoRefusedError, 409),
    (SilenceNotFoundError, 404),
    (SilenceError, 422),
    (WebhookNotFoundError, 404),
    (WebhookError, 422),
    (SettingsError, 422),
    (WriterStoppedError, 503),
    (DatabaseError, 503),
)


def status_for(error: OperatorError) -> int:
    return next((code for kind, code in _OPERATOR_STATUS if isinstance(error, kind)), 400)


def install(app: FastAPI) -> None:
    @app.exception_handler(BadBody)
    async def _bad_body(_request: Request, exc: BadBody) -> JSONResponse:
        return error_response(exc.status, exc.detail, exc.errors)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "malformed JSON")
        return error_response(422, "invalid request", field_errors(errors))

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(OperatorError)
    async def _operator(_request: Request, exc: OperatorError) -> JSONResponse:
        return error_response(status_for(exc), str(exc))

    async def _database(request: Request, exc: Exception) -> JSONResponse:
        """A read the database refused: damaged (said in health too), or busy."""
        reason = database_words(exc)
        if is_damage(exc):
            return error_response(503, request.app.state.ctx.database_damaged(reason))
        log.warning("the database refused %s %s: %s", request.method, request.url.path, reason)
        return error_response(503, f"the database could not answer ({reason}); try again")

    for kind in database_errors():
        app.add_exception_handler(kind, _database)

    @app.exception_handler(TimeoutError)
    async def _timeout(request: Request, _exc: TimeoutError) -> JSONResponse:
        log.warning("%s %s: the database did not answer in time", request.method, request.url.path)
        return error_response(
            503, "the database did not answer in time (its disk is slow or has stopped); try again"
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal error; the details are in logs/system.log")


def json_error(detail: str) -> bytes:
    return json.dumps({"detail": detail}).encode()
