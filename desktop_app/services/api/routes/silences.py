"""Silences and maintenance windows (operator to write, viewer to read)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field, model_validator

from desktop_app.models.levels import AlertLevel
from desktop_app.models.silences import Silence
from desktop_app.services.api.deps import Operator, SilencesDep, Viewer, actor
from desktop_app.services.api.schemas import LevelName, Strict, error_responses, iso

router = APIRouter(prefix="/api/advanced-monitoring", tags=["silences"])
ERRORS = error_responses(401, 403, 404, 422)


class SilenceIn(Strict):
    """Matchers left out match every alert; give `ends_at` or `duration_minutes`."""

    plugin_id: str | None = Field(default=None, min_length=1, max_length=100)
    rule: str | None = Field(default=None, min_length=1, max_length=50)
    level: LevelName | None = Field(default=None, description="this level and below")
    # Times arrive as JSON text: parsed, not held to strict types.
    starts_at: datetime | None = Field(
        default=None, strict=False, description="default: now (UTC if no zone)"
    )
    ends_at: datetime | None = Field(default=None, strict=False)
    duration_minutes: float | None = Field(default=None, gt=0, le=366 * 24 * 60)
    comment: str = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _one_end(self) -> SilenceIn:
        if (self.ends_at is None) == (self.duration_minutes is None):
            raise ValueError("give ends_at or duration_minutes, not both and not neither")
        if self.level is not None:
            AlertLevel.parse(self.level)
        return self


class SilenceOut(BaseModel):
    id: int
    plugin_id: str | None
    rule: str | None
    level: str | None
    starts_at: str | None
    ends_at: str | None
    comment: str
    created_by: str
    active: bool

    @classmethod
    def of(cls, silence: Silence, now: float) -> SilenceOut:
        return cls(
            id=silence.id,
            plugin_id=silence.plugin_key,
            rule=silence.rule,
            level=None if silence.level is None else silence.level.label,
            starts_at=iso(silence.starts_at),
            ends_at=iso(silence.ends_at),
            comment=silence.comment,
            created_by=silence.created_by,
            active=silence.is_on(now),
        )


def _seconds(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


SilenceId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the silence's id")]


@router.get("/silences", response_model=list[SilenceOut], responses=ERRORS)
async def list_silences(silences: SilencesDep, _who: Viewer) -> list[SilenceOut]:
    """Silences on now or due to start, soonest first."""
    now = datetime.now(UTC).timestamp()
    current = await asyncio.to_thread(silences.current)
    return [SilenceOut.of(silence, now) for silence in current]


@router.post("/silences", status_code=201, response_model=SilenceOut, responses=ERRORS)
async def add_silence(body: SilenceIn, silences: SilencesDep, who: Operator) -> SilenceOut:
    starts = None if body.starts_at is None else _seconds(body.starts_at)
    now = datetime.now(UTC).timestamp()
    if body.ends_at is not None:
        ends = _seconds(body.ends_at)
    else:
        assert body.duration_minutes is not None
        ends = (starts or now) + body.duration_minutes * 60
    silence = await asyncio.to_thread(
        lambda: silences.add(
            plugin_key=body.plugin_id,
            rule=body.rule,
            level=None if body.level is None else AlertLevel.parse(body.level),
            starts_at=starts,
            ends_at=ends,
            comment=body.comment,
            actor=actor(who),
        )
    )
    return SilenceOut.of(silence, datetime.now(UTC).timestamp())


@router.delete("/silences/{silence_id}", response_model=SilenceOut, responses=ERRORS)
async def remove_silence(silence_id: SilenceId, silences: SilencesDep, who: Operator) -> SilenceOut:
    """End a silence now; the alerts it kept quiet that are still open are told."""
    removed = await asyncio.to_thread(silences.remove, silence_id, actor(who))
    return SilenceOut.of(removed, datetime.now(UTC).timestamp())
