"""Settings: `config/settings.toml` in the data folder, validated on load.

Every setting is declared once in `SPEC`; the first start writes the file with
every setting present, commented and at its default, and every later read or
runtime change is checked against the same declaration, so an error always
names the key, the value and what is allowed.
"""

from __future__ import annotations

import math
import os
import tempfile
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomlkit

from desktop_app.errors import SettingsError
from desktop_app.models.thresholds import THRESHOLD_NAMES, ThresholdValues

Validator = Callable[[Any], Any]


def number(low: float, high: float, unit: str = "") -> tuple[Validator, str]:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise ValueError
        if not low <= value <= high:
            raise ValueError
        return float(value)

    return check, f"a number from {low:g} to {high:g}{unit}"


def integer(low: int, high: int) -> tuple[Validator, str]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError
        return value

    return check, f"a whole number from {low} to {high}"


def choice(*options: str) -> tuple[Validator, str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value.lower() not in options:
            raise ValueError
        return value.lower()

    return check, "one of " + ", ".join(f'"{o}"' for o in options)


def boolean() -> tuple[Validator, str]:
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError
        return value

    return check, "true or false"


def text(max_length: int = 4096) -> tuple[Validator, str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or len(value) > max_length:
            raise ValueError
        return value

    return check, f"text of at most {max_length} characters"


def time_zone() -> tuple[Validator, str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError from None
        return value

    return check, 'an IANA time zone name such as "Asia/Seoul", or "" for this computer\'s'


@dataclass(frozen=True)
class SettingSpec:
    section: str
    key: str
    default: Any
    rule: tuple[Validator, str]
    doc: str

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.key}"

    def validate(self, value: Any, where: str) -> Any:
        check, allowed = self.rule
        try:
            return check(value)
        except (ValueError, TypeError):
            raise SettingsError(
                f"{where}: {self.dotted} = {value!r} is not allowed: {allowed}"
            ) from None


THRESHOLD_DOCS: dict[str, tuple[tuple[Validator, str], str]] = {
    "cpu_threshold": (number(0, 100, " %"), "CPU % that raises a warning (0: off)"),
    "cpu_critical_threshold": (number(0, 100, " %"), "CPU % that makes it critical (0: off)"),
    "memory_threshold": (number(0, 100, " %"), "memory % that raises a warning (0: off)"),
    "memory_critical_threshold": (
        number(0, 100, " %"),
        "memory % that makes it critical (0: off)",
    ),
    "response_time_threshold": (
        number(0, 3600, " s"),
        "response time (s) that raises a warning (0: off)",
    ),
    "response_time_critical_threshold": (
        number(0, 3600, " s"),
        "response time (s) that makes it critical (0: off)",
    ),
    "error_rate_threshold": (
        number(0, 100, " %"),
        "errors as % of requests that raise an error alert (0: off)",
    ),
    "consecutive_errors_threshold": (
        integer(1, 1000),
        "failed samples in a row that raise a critical alert",
    ),
    "hysteresis": (
        number(0, 0.5),
        "fraction below a line a value must fall before the alert clears",
    ),
    "for_samples": (integer(1, 100), "samples in a row a new level must hold before it applies"),
    "unusual_hour_sigma": (
        number(0, 20, " standard deviations"),
        "standard deviations from this hour's usual usage that raise a warning (0: off)",
    ),
}

_DEFAULT_THRESHOLDS = ThresholdValues()

SPEC: tuple[SettingSpec, ...] = (
    SettingSpec(
        "collection",
        "interval",
        30.0,
        number(1, 3600, " seconds"),
        "Seconds between two collections of host and plugin metrics (down to 1).",
    ),
    *(
        SettingSpec("thresholds", name, getattr(_DEFAULT_THRESHOLDS, name), *THRESHOLD_DOCS[name])
        for name in THRESHOLD_NAMES
    ),
    SettingSpec(
        "alerts",
        "throttle_seconds",
        300.0,
        number(0, 86400, " seconds"),
        "A repeat of the same alert within this window updates it without notifying again.",
    ),
    SettingSpec(
        "storage",
        "synchronous",
        "normal",
        choice("normal", "full"),
        'SQLite durability: "normal" survives a crash of the program, "full" a power cut too.',
    ),
    SettingSpec(
        "storage",
        "batch_limit",
        5000,
        integer(1, 100_000),
        "Most rows the writer commits in one group.",
    ),
    SettingSpec(
        "storage",
        "raw_retention_days",
        30,
        integer(1, 3650),
        "Days raw samples are kept; older ones are deleted once rolled up.",
    ),
    SettingSpec(
        "storage",
        "rollup_5m_retention_days",
        180,
        integer(1, 3650),
        "Days the 5-minute rollups (min, max, average, count, P95) are kept.",
    ),
    SettingSpec(
        "storage",
        "rollup_1h_retention_days",
        730,
        integer(1, 36500),
        "Days the 1-hour rollups are kept.",
    ),
    SettingSpec(
        "analytics",
        "timezone",
        "",
        time_zone(),
        'Time zone of usage patterns and baselines, e.g. "Asia/Seoul" (empty: this computer\'s).',
    ),
    SettingSpec(
        "api",
        "enabled",
        True,
        boolean(),
        "Serve the HTTP and WebSocket API.",
    ),
    SettingSpec(
        "api",
        "host",
        "127.0.0.1",
        text(255),
        "Address the API binds to; keep 127.0.0.1 unless other hosts must reach it.",
    ),
    SettingSpec("api", "port", 5000, integer(0, 65535), "HTTP API port."),
    SettingSpec("api", "ws_port", 8765, integer(0, 65535), "WebSocket alert stream port."),
    SettingSpec(
        "api",
        "anonymous_loopback_reads",
        True,
        boolean(),
        "Serve reads without a key to clients on this machine, as viewer (false: key-only).",
    ),
    SettingSpec(
        "api",
        "auto_register",
        False,
        boolean(),
        "Register an unknown plugin on its first metrics push instead of answering 404.",
    ),
    SettingSpec(
        "api",
        "max_body_bytes",
        1_048_576,
        integer(1024, 256 * 1024 * 1024),
        "Largest request body accepted; larger ones get 413.",
    ),
    SettingSpec("api", "ssl_cert", "", text(), "TLS certificate file (PEM); empty: plain HTTP."),
    SettingSpec("api", "ssl_key", "", text(), "TLS private key file (PEM)."),
    SettingSpec(
        "console",
        "tray_level",
        "critical",
        choice("info", "warning", "error", "critical"),
        "Alerts at or above this level also become tray (system) notifications.",
    ),
    SettingSpec(
        "console",
        "theme",
        "system",
        choice("system", "light", "dark"),
        "Colours of the console window.",
    ),
    SettingSpec(
        "console",
        "language",
        "system",
        choice("system", "en", "ko"),
        "Language of the console (system: from the locale).",
    ),
    SettingSpec(
        "logging",
        "level",
        "info",
        choice("debug", "info", "warning", "error"),
        "Least severe level written to logs/system.log.",
    ),
)

SPEC_BY_KEY: dict[str, SettingSpec] = {spec.dotted: spec for spec in SPEC}
THRESHOLD_SPECS: dict[str, SettingSpec] = {
    spec.key: spec for spec in SPEC if spec.section == "thresholds"
}


@dataclass(frozen=True)
class ApiSettings:
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = 5000
    ws_port: int = 8765
    anonymous_loopback_reads: bool = True
    auto_register: bool = False
    max_body_bytes: int = 1_048_576
    ssl_cert: str = ""
    ssl_key: str = ""


@dataclass(frozen=True)
class ConsoleSettings:
    tray_level: str = "critical"
    theme: str = "system"
    language: str = "system"


@dataclass(frozen=True)
class RetentionSettings:
    raw_retention_days: int = 30
    rollup_5m_retention_days: int = 180
    rollup_1h_retention_days: int = 730


@dataclass(frozen=True)
class Settings:
    collection_interval: float = 30.0
    thresholds: ThresholdValues = field(default_factory=ThresholdValues)
    plugin_thresholds: dict[str, dict[str, Any]] = field(default_factory=dict)
    throttle_seconds: float = 300.0
    synchronous: str = "normal"
    batch_limit: int = 5000
    log_level: str = "info"
    api: ApiSettings = field(default_factory=ApiSettings)
    console: ConsoleSettings = field(default_factory=ConsoleSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    timezone: str = ""


def check_threshold_order(values: ThresholdValues, where: str) -> None:
    """A critical line below its warning line can never be what was meant."""
    for metric in ("cpu", "memory", "response_time"):
        warning = getattr(values, f"{metric}_threshold")
        critical = getattr(values, f"{metric}_critical_threshold")
        if critical and critical < warning:
            raise SettingsError(
                f"{where}: {metric}_critical_threshold = {critical:g} is below "
                f"{metric}_threshold = {warning:g}; a critical line must be at or above "
                "its warning line (or 0 for off)"
            )


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float):
        return repr(value)
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
        lines.append(f"# {spec.doc} Allowed: {spec.rule[1]}.")
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
    thresholds = replace(
        ThresholdValues(),
        **{k: values[f"thresholds.{k}"] for k in THRESHOLD_NAMES if f"thresholds.{k}" in values},
    )
    check_threshold_order(thresholds, where)
    return Settings(
        collection_interval=values.get("collection.interval", 30.0),
        thresholds=thresholds,
        plugin_thresholds=plugin_thresholds,
        throttle_seconds=values.get("alerts.throttle_seconds", 300.0),
        synchronous=values.get("storage.synchronous", "normal"),
        batch_limit=values.get("storage.batch_limit", 5000),
        log_level=values.get("logging.level", "info"),
        api=_section(ApiSettings, "api", values),
        console=_section(ConsoleSettings, "console", values),
        retention=_section(RetentionSettings, "storage", values),
        timezone=values.get("analytics.timezone", ""),
    )


T = TypeVar("T")


def _section(kind: type[T], section: str, values: dict[str, Any]) -> T:
    names = [f.name for f in fields(kind)]  # type: ignore[arg-type]
    return kind(**{n: values[f"{section}.{n}"] for n in names if f"{section}.{n}" in values})


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


class SettingsFile:
    """Reads and rewrites settings.toml, keeping the operator's comments.

    Writes go to a temporary file that replaces the old one, so a crash or a
    full disk mid-write never leaves a half-written settings file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def ensure_exists(self) -> None:
        if not self.path.exists():
            self._write_atomically(default_settings_text())

    def load(self) -> Settings:
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise SettingsError(f"{self.path}: not UTF-8 text") from None
        except OSError as exc:
            raise SettingsError(f"{self.path}: cannot be read: {exc.strerror}") from None
        return parse_settings(text, str(self.path))

    def apply(
        self,
        sets: list[tuple[tuple[str, ...], Any]],
        removes: list[tuple[str, ...]] = [],  # noqa: B006 - never mutated
    ) -> None:
        """Set and remove dotted keys in one rewrite, creating tables on the way."""
        with self._lock:
            document = tomlkit.parse(self.path.read_text(encoding="utf-8"))
            for dotted_path, value in sets:
                table: Any = document
                for part in dotted_path[:-1]:
                    if part not in table:
                        table[part] = tomlkit.table()
                    table = table[part]
                table[dotted_path[-1]] = value
            for dotted_path in removes:
                table = document
                for part in dotted_path[:-1]:
                    table = table.get(part) if hasattr(table, "get") else None
                    if table is None:
                        break
                if table is not None and dotted_path[-1] in table:
                    del table[dotted_path[-1]]
            self._write_atomically(tomlkit.dumps(document))

    def _write_atomically(self, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
