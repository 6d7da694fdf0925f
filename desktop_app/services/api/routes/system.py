"""Health (no key) and the caller's own status (key required)."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request

from desktop_app import __version__
from desktop_app.services.api.deps import Context, authenticate
from desktop_app.services.api.schemas import Health, StatusOut, error_responses, iso

router = APIRouter(tags=["system"])


@router.get("/api/system/health", response_model=Health, summary="Is the monitor healthy?")
def health(ctx: Context) -> Health:
    monitor = ctx.monitor
    stats = monitor.writer.stats
    database = monitor.paths.database
    wal = database.with_name(database.name + "-wal")
    size = sum(p.stat().st_size for p in (database, wal) if p.exists())
    failing = monitor.scheduler.failing_collectors()
    rollups = monitor.rollups.stats
    healthy = (
        stats.running and stats.last_error is None and not failing and rollups.last_error is None
    )
    return Health(
        status="ok" if healthy else "degraded",
        version=__version__,
        uptime_seconds=round(time.time() - (monitor.started_at or time.time()), 3),
        monitoring=monitor.monitoring,
        plugins=len(monitor.registry.all()),
        open_alerts=len(monitor.engine.open_alerts()),
        database={"path": str(database), "size_bytes": size},
        writer={
            "running": stats.running,
            "queue_depth": monitor.writer.queue_depth,
            "committed_samples": stats.committed_samples,
            "last_commit_at": iso(stats.last_commit_at),
            "last_error": stats.last_error,
            "failing_collectors": failing,
        },
        rollups={
            "last_pass_at": iso(rollups.last_run),
            "buckets_written": rollups.buckets_written,
            "buckets_recomputed": rollups.recomputed,
            "raw_samples_deleted": rollups.raw_deleted,
            "rollups_deleted": rollups.rollups_deleted,
            "last_error": rollups.last_error,
        },
    )


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
