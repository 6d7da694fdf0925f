"""The settings as the running monitor holds them, and their file form.

`flatten` and `from_values` convert between the dataclasses and dotted keys
(`collection.interval`); where each dotted key lives is stated once, below.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from typing import Any

from desktop_app.config.spec import (
    SPEC,
    SPEC_BY_KEY,
    THRESHOLD_SPECS,
    check_threshold_order,
    default,
)
from desktop_app.errors import SettingsError
from desktop_app.models.thresholds import THRESHOLD_NAMES, ThresholdValues


@dataclass(frozen=True)
class ApiSettings:
    enabled: bool = default("api.enabled")
    host: str = default("api.host")
    port: int = default("api.port")
    ws_port: int = default("api.ws_port")
    anonymous_loopback_reads: bool = default("api.anonymous_loopback_reads")
    auto_register: bool = default("api.auto_register")
    max_body_bytes: int = default("api.max_body_bytes")
    max_connections_per_client: int = default("api.max_connections_per_client")
    max_connections: int = default("api.max_connections")
    header_timeout_seconds: float = default("api.header_timeout_seconds")
    keep_alive_seconds: int = default("api.keep_alive_seconds")
    max_expensive_reads: int = default("api.max_expensive_reads")
    stream_messages_per_second: int = default("api.stream_messages_per_second")
    ssl_cert: str = default("api.ssl_cert")
    ssl_key: str = default("api.ssl_key")
    ssl_key_password_file: str = default("api.ssl_key_password_file")
    insecure_bind: bool = default("api.insecure_bind")
    allowed_hosts: tuple[str, ...] = default("api.allowed_hosts")
    allowed_origins: tuple[str, ...] = default("api.allowed_origins")
    trusted_proxies: tuple[str, ...] = default("api.trusted_proxies")


@dataclass(frozen=True)
class ConsoleSettings:
    tray_level: str = default("console.tray_level")
    tray_recoveries: bool = default("console.tray_recoveries")
    sound: bool = default("console.sound")
    theme: str = default("console.theme")
    language: str = default("console.language")


@dataclass(frozen=True)
class RetentionSettings:
    raw_retention_days: int = default("storage.raw_retention_days")
    rollup_5m_retention_days: int = default("storage.rollup_5m_retention_days")
    rollup_1h_retention_days: int = default("storage.rollup_1h_retention_days")


@dataclass(frozen=True)
class SupervisorSettings:
    healthy_after_seconds: float = default("supervisor.healthy_after_seconds")
    keep_running: bool = default("supervisor.keep_running")


@dataclass(frozen=True)
class BackupSettings:
    directory: str = default("backup.directory")
    interval_hours: float = default("backup.interval_hours")
    encrypt: bool = default("backup.encrypt")
    keep_hourly: int = default("backup.keep_hourly")
    keep_daily: int = default("backup.keep_daily")
    keep_weekly: int = default("backup.keep_weekly")


@dataclass(frozen=True)
class SecuritySettings:
    auth_failure_limit: int = default("security.auth_failure_limit")
    auth_failure_window_seconds: float = default("security.auth_failure_window_seconds")
    lockout_seconds: float = default("security.lockout_seconds")
    rate_alert_per_minute: int = default("security.rate_alert_per_minute")
    rate_limit_per_minute: int = default("security.rate_limit_per_minute")
    ingest_rate_limit_per_minute: int = default("security.ingest_rate_limit_per_minute")


@dataclass(frozen=True)
class Settings:
    collection_interval: float = default("collection.interval")
    thresholds: ThresholdValues = field(default_factory=ThresholdValues)
    plugin_thresholds: dict[str, dict[str, Any]] = field(default_factory=dict)
    throttle_seconds: float = default("alerts.throttle_seconds")
    max_clock_skew_seconds: float = default("alerts.max_clock_skew_seconds")
    no_data_min_seconds: float = default("alerts.no_data_min_seconds")
    flap_changes: int = default("alerts.flap_changes")
    flap_window_seconds: float = default("alerts.flap_window_seconds")
    alerts_language: str = default("alerts.language")
    database_url: str = default("storage.database_url")
    synchronous: str = default("storage.synchronous")
    batch_limit: int = default("storage.batch_limit")
    forward_buffer_mb: int = default("forward.buffer_mb")
    log_level: str = default("logging.level")
    api: ApiSettings = field(default_factory=ApiSettings)
    console: ConsoleSettings = field(default_factory=ConsoleSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    supervisor: SupervisorSettings = field(default_factory=SupervisorSettings)
    backup: BackupSettings = field(default_factory=BackupSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    timezone: str = default("analytics.timezone")


# Dotted keys held directly on `Settings`; every other key lives in a section
# dataclass under the attribute named here.
_TOP_LEVEL = {
    "collection.interval": "collection_interval",
    "alerts.throttle_seconds": "throttle_seconds",
    "alerts.max_clock_skew_seconds": "max_clock_skew_seconds",
    "alerts.no_data_min_seconds": "no_data_min_seconds",
    "alerts.flap_changes": "flap_changes",
    "alerts.flap_window_seconds": "flap_window_seconds",
    "alerts.language": "alerts_language",
    "storage.database_url": "database_url",
    "storage.synchronous": "synchronous",
    "storage.batch_limit": "batch_limit",
    "forward.buffer_mb": "forward_buffer_mb",
    "logging.level": "log_level",
    "analytics.timezone": "timezone",
}
_SECTIONS = {
    "thresholds": "thresholds",
    "api": "api",
    "console": "console",
    "storage": "retention",
    "supervisor": "supervisor",
    "backup": "backup",
    "security": "security",
}


def flatten(settings: Settings) -> dict[str, Any]:
    """Every declared setting by dotted key (per-plugin thresholds aside)."""
    values = {}
    for spec in SPEC:
        if spec.dotted in _TOP_LEVEL:
            values[spec.dotted] = getattr(settings, _TOP_LEVEL[spec.dotted])
        else:
            values[spec.dotted] = getattr(getattr(settings, _SECTIONS[spec.section]), spec.key)
    return values


def from_values(
    values: dict[str, Any], plugin_thresholds: dict[str, dict[str, Any]] | None = None
) -> Settings:
    """Settings from checked dotted values; a key not given keeps its default."""
    top = {attr: values[key] for key, attr in _TOP_LEVEL.items() if key in values}
    sections: dict[str, Any] = {}
    for section, attr in _SECTIONS.items():
        kind = type(getattr(Settings(), attr))
        names = [f.name for f in fields(kind)]
        given = {n: values[f"{section}.{n}"] for n in names if f"{section}.{n}" in values}
        sections[attr] = kind(**given)
    return Settings(**top, **sections, plugin_thresholds=dict(plugin_thresholds or {}))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return str(value)


def default_settings_text() -> str:
    """The file written on first start: every setting, its default and why."""
    lines = [
        "# Plugin Monitor settings. Every setting is listed with its default.",
        "# Changes made in the console or through the API are written back here.",
    ]
    section = ""
    for spec in SPEC:
        if spec.section != section:
            section = spec.section
            lines += ["", f"[{section}]"]
        lines.append(f"# {spec.doc} Allowed: {spec.allowed}.")
        lines.append(f"{spec.key} = {_toml_value(spec.default)}")
    lines += [
        "",
        "# Per-plugin overrides of any threshold above, for example:",
        "# [thresholds.plugins.my_plugin]",
        "# cpu_threshold = 70.0",
        "",
    ]
    return "\n".join(lines)


def parse_settings(text: str, where: str) -> Settings:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{where}: not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    plugin_thresholds: dict[str, dict[str, Any]] = {}
    for section, table in document.items():
        if not isinstance(table, dict):
            raise SettingsError(f"{where}: {section} must be a [section], found a value")
        for key, value in table.items():
            if section == "thresholds" and key == "plugins":
                plugin_thresholds = _parse_plugin_thresholds(value, where)
                continue
            spec = SPEC_BY_KEY.get(f"{section}.{key}")
            if spec is None:
                known = ", ".join(s.key for s in SPEC if s.section == section)
                hint = f"; known keys in [{section}]: {known}" if known else ""
                raise SettingsError(f"{where}: unknown setting {section}.{key}{hint}")
            values[spec.dotted] = spec.validate(value, where)
    settings = from_values(values, plugin_thresholds)
    check_threshold_order(settings.thresholds, where)
    return settings


def _parse_plugin_thresholds(value: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise SettingsError(f"{where}: thresholds.plugins must be a table of plugin ids")
    result: dict[str, dict[str, Any]] = {}
    for plugin_key, overrides in value.items():
        if not isinstance(overrides, dict):
            raise SettingsError(f"{where}: thresholds.plugins.{plugin_key} must be a table")
        checked: dict[str, Any] = {}
        for key, raw in overrides.items():
            spec = THRESHOLD_SPECS.get(key)
            if spec is None:
                raise SettingsError(
                    f"{where}: unknown threshold thresholds.plugins.{plugin_key}.{key}; "
                    f"known: {', '.join(THRESHOLD_NAMES)}"
                )
            checked[key] = spec.validate(raw, f"{where} [thresholds.plugins.{plugin_key}]")
        result[plugin_key] = checked
    return result
