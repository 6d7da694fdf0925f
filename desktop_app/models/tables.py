"""SQLAlchemy tables. Times are UTC microseconds since the epoch (integers).

Samples are wide rows clustered on (plugin, time) — a WITHOUT ROWID table
whose primary key is the window order — so reading a plugin's window is one
range scan. Rollups are clustered the same way on (plugin, step, bucket): one
row per plugin and bucket keeps count, sum, min, max and P95 of every metric.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from desktop_app.models.rollups import ROLLUP_COLUMNS
from desktop_app.models.samples import STANDARD_METRICS
from desktop_app.models.timestamps import from_micros, to_micros

__all__ = ["from_micros", "metadata", "to_micros"]

metadata = MetaData()

plugins = Table(
    "plugins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("source", String(20), nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("process_pid", Integer),
    Column("process_name", String(200)),
    Column("process_cmdline", Text),
    Column("created_at", BigInteger, nullable=False),
    Column("last_seen", BigInteger),
    Column("evaluated_until", BigInteger),  # the alert engine's mark (storage/marks.py)
    Column("registered_by", Integer),  # the API key that registered it, if one did
    Column("host", String(100)),  # the host a forwarding agent sends it from
)

samples = Table(
    "samples",
    metadata,
    Column("plugin_id", Integer, ForeignKey("plugins.id"), primary_key=True),
    Column("ts", BigInteger, primary_key=True),
    *(Column(name, Float) for name in STANDARD_METRICS),
    Column("failed", Boolean, nullable=False, default=False),
    sqlite_with_rowid=False,
)

sample_extras = Table(
    "sample_extras",
    metadata,
    Column("plugin_id", Integer, ForeignKey("plugins.id"), primary_key=True),
    Column("ts", BigInteger, primary_key=True),
    Column("name", String(100), primary_key=True),
    Column("value", Float, nullable=False),
    sqlite_with_rowid=False,
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plugin_id", Integer, ForeignKey("plugins.id"), nullable=False),
    Column("rule", String(50), nullable=False),
    Column("level", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("message", Text, nullable=False),
    Column("value", Float),
    Column("threshold", Float),
    Column("started_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("occurrences", Integer, nullable=False, default=1),
    Column("flapping", Boolean, nullable=False, default=False, server_default="0"),
    # Recorded from a back-filled batch: never notified, never an open alert.
    Column("historical", Boolean, nullable=False, default=False, server_default="0"),
    Column("resolved_at", BigInteger),
    Column("resolved_by", String(200)),
    Column("acknowledged_at", BigInteger),
    Column("acknowledged_by", String(200)),
    Column("comment", Text),
    Index("ix_alerts_status", "status"),
    Index("ix_alerts_plugin_started", "plugin_id", "started_at"),
)

alert_events = Table(
    "alert_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("level", Integer, nullable=False),
    Column("value", Float),
    Column("at", BigInteger, nullable=False),
    Column("actor", String(200)),
    Column("notify", Boolean, nullable=False),
    Column("silenced", Boolean, nullable=False, default=False, server_default="0"),
    Index("ix_alert_events_alert", "alert_id"),
    sqlite_autoincrement=True,
)

silences = Table(
    "silences",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plugin_key", String(200)),
    Column("rule", String(50)),
    Column("level", Integer),
    Column("starts_at", BigInteger, nullable=False),
    Column("ends_at", BigInteger, nullable=False),
    Column("comment", Text, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("removed_at", BigInteger),
)

# A webhook's URL, header values and signing secret are in the secret store
# (services/secrets.py) under `webhook-<id>`; this row holds what may be shown.
webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("shown_url", String(300), nullable=False),
    Column("min_level", Integer, nullable=False),
    Column("header_names", Text, nullable=False, default=""),
    Column("signed", Boolean, nullable=False, default=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("removed_at", BigInteger),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", BigInteger, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(100), nullable=False),
    Column("target", String(200), nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
)


response_times = Table(
    "response_times",
    metadata,
    Column("plugin_id", Integer, ForeignKey("plugins.id"), primary_key=True),
    Column("ts", BigInteger, primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("seconds", Float, nullable=False),
    sqlite_with_rowid=False,
)

rollups = Table(
    "rollups",
    metadata,
    Column("plugin_id", Integer, ForeignKey("plugins.id"), primary_key=True),
    Column("step", Integer, primary_key=True),
    Column("bucket", BigInteger, primary_key=True),
    Column("samples", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    *(Column(name, Integer if name.endswith("_count") else Float) for name in ROLLUP_COLUMNS),
    sqlite_with_rowid=False,
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", Integer, nullable=False),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("hash", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger),
    Column("last_used_at", BigInteger),  # recorded at most once a minute per key
    Column("last_used_from", String(64)),
    Column("ingest_only", Boolean, nullable=False, default=False),
    Column("plugins", String(200), nullable=False, default=""),
    Column("expires_at", BigInteger),
)
