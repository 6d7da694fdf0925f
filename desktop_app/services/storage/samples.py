"""Reading samples back: one plugin's window is one range scan of the
clustered (plugin, time) key."""

from __future__ import annotations

from sqlalchemy import Engine, select

from desktop_app.models import tables
from desktop_app.models.samples import STANDARD_METRICS, Sample


class SampleQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def window(self, plugin_id: int, plugin_key: str, since: float, until: float) -> list[Sample]:
        """Samples with since <= ts <= until, oldest first."""
        s = tables.samples.c
        query = (
            select(tables.samples)
            .where(
                s.plugin_id == plugin_id,
                s.ts >= tables.to_micros(since),
                s.ts <= tables.to_micros(until),
            )
            .order_by(s.ts)
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            Sample(
                plugin_key,
                tables.from_micros(row.ts),
                **{name: getattr(row, name) for name in STANDARD_METRICS},
                failed=bool(row.failed),
            )
            for row in rows
        ]
