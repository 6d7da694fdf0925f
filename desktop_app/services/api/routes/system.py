"""Health (no key; the details only for admins) and the caller's own status."""

from __future__ import annotations

import time
from collections.abc import Mapping

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from desktop_app import __version__
from desktop_app.models.auth import Role
from desktop_app.services.api.deps import (
    Admin,
    ApiContext,
    Context,
    Viewer,
    actor,
    authenticate,
)
from desktop_app.services.api.schemas import (
    CheckItemOut,
    CheckOut,
    Health,
    StatusOut,
    WorkerOut,
    error_responses,
    iso,
)
from desktop_app.services.prometheus import CONTENT_TYPE

router = APIRouter(tags=["system"])


@router.get(
    "/api/system/health",
    response_model=Health,
    summary="Is the monitor healthy? Anyone may ask; paths and error texts are for admins",
)
def health(request: Request, ctx: Context) -> Health:
    snapshot = ctx.health() if _is_admin(request, ctx) else ctx.health().redacted()
    parts = {worker.name: worker for worker in snapshot.workers}
    writer, rollups = parts["storage-writer"], parts.get("rollups")
    collector = parts.get("collector")
    damaged = parts.get("database-check")
    return Health(
        status="database damaged"
        if damaged is not None and damaged.error
        else "ok"
        if snapshot.ok
        else "degraded",
        version=__version__,
        uptime_seconds=round(time.time() - (snapshot.started_at or time.time()), 3),
        monitoring=snapshot.monitoring,
        plugins=snapshot.plugins,
        open_alerts=snapshot.open_alerts,
        problems=snapshot.problems,
        database={"size_bytes": snapshot.database_bytes}
        | ({"path": snapshot.database_path} if snapshot.database_path else {}),
        writer={
            "running": writer.running,
            **_times(writer.details),
            "last_error": writer.error,
            "failing_collectors": collector.details.get("failing", {}) if collector else {},
        },
        rollups={**_times(rollups.details), "last_error": rollups.error} if rollups else {},
        workers={
            worker.name: WorkerOut(
                running=worker.running, error=worker.error, details=_times(worker.details)
            )
            for worker in snapshot.workers
        },
        plugin_states=snapshot.states_by_plugin(),
    )


@router.get(
    "/api/system/check",
    response_model=CheckOut,
    responses=error_responses(401, 403),
    summary="The guide's daily checks (R28): system, plugins, open alerts, log errors, backups",
)
def check(ctx: Context, _who: Admin) -> CheckOut:
    report = ctx.check()
    return CheckOut(
        ok=report.ok,
        checked_at=iso(report.checked_at),
        items=[CheckItemOut(name=i.name, ok=i.ok, text=i.text) for i in report.items],
    )


class RestoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backup: str = Field(
        min_length=1,
        max_length=255,
        description="a file in the backup folder, by name (`plugin-monitor backup --list`)",
        examples=["plugin-monitor-20261127T090000Z.tar.gz"],
    )


class RestoredOut(BaseModel):
    detail: str


@router.post(
    "/api/system/restore",
    response_model=RestoredOut,
    responses=error_responses(400, 401, 403, 422),
    summary="Restore a backup from the backup folder into the running monitor (R19)",
    description="The writer pauses (pushes wait, nothing is refused), the present database is "
    "kept aside as `plugin_monitoring.db.before-restore-<UTC time>`, the backup replaces it, "
    "and the monitor takes up the restored plugins, alerts and keys. Key revocations made "
    "after the backup was taken stay in force. Audited as `backup.restore`.",
)
def restore(body: RestoreIn, ctx: Context, who: Admin) -> RestoredOut:
    return RestoredOut(detail=ctx.restore(body.backup, actor(who)))


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE: {}}}, **error_responses(401)},
    summary="The monitor in Prometheus' text format: plugins' newest metrics, open alerts, "
    "ingest and writer figures",
    description="For a Prometheus server's scrape (anonymous from loopback, else a viewer key). "
    "Names and units follow the metric catalogue in base units (`_ratio`, `_bytes`, "
    "`_seconds`, `_total`), with a `plugin` label.",
)
def metrics(ctx: Context, _who: Viewer) -> Response:
    return Response(ctx.prometheus(), media_type=CONTENT_TYPE)


def _is_admin(request: Request, ctx: ApiContext) -> bool:
    try:
        return authenticate(request, ctx, read=True).role >= Role.ADMIN
    except HTTPException:
        return False


def _times(details: Mapping[str, object]) -> dict[str, object]:
    """Figures as they are, times (`…_at`) as ISO 8601."""
    return {
        name: iso(value) if name.endswith("_at") and isinstance(value, float | None) else value
        for name, value in details.items()
    }


@router.get(
    "/api/status",
    response_model=StatusOut,
    responses=error_responses(401),
    summary="Check an API key: who you are and your role",
)
async def status(request: Request, ctx: Context) -> StatusOut:
    principal = authenticate(request, ctx, read=False)
    return StatusOut(
        authenticated=True,
        name=principal.name,
        role=principal.role.label,
        key_id=principal.key_id,
    )
