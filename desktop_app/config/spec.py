"""Every setting, declared once: its section and key, default, rule (the
values it allows) and help text. The settings file, its validation, the API,
the command line and the console's form all read this declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_app.config.rules import (
    Rule,
    address_list,
    boolean,
    choice,
    database_url,
    integer,
    number,
    text,
    text_list,
    time_zone,
)
from desktop_app.errors import SettingsError
from desktop_app.models.thresholds import THRESHOLD_NAMES, ThresholdValues
from desktop_app.paths import ENV_DATABASE_URL


@dataclass(frozen=True)
class SettingSpec:
    section: str
    key: str
    default: Any
    rule: Rule
    doc: str

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def allowed(self) -> str:
        return self.rule.allowed

    def validate(self, value: Any, where: str) -> Any:
        check, allowed = self.rule.check, self.rule.allowed
        try:
            return check(value)
        except (ValueError, TypeError):
            raise SettingsError(
                f"{where}: {self.dotted} = {value!r} is not allowed: {allowed}", key=self.dotted
            ) from None


THRESHOLD_DOCS: dict[str, tuple[Rule, str]] = {
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
    "stale_after_seconds": (
        number(0, 7 * 86400, " s"),
        "seconds of silence that raise a no-data warning (0: automatic)",
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
        "alerts",
        "flap_changes",
        6,
        integer(2, 1000),
        "An alert that changes state more often than this within alerts.flap_window_seconds "
        "is flapping: its notifications wait until it is stable.",
    ),
    SettingSpec(
        "alerts",
        "flap_window_seconds",
        600.0,
        number(10, 86400, " seconds"),
        "The window flapping is counted in, and how long a flapping alert must be stable.",
    ),
    SettingSpec(
        "alerts",
        "language",
        "en",
        choice("en", "ko"),
        "Language of alert messages in the API, the WebSocket stream and webhooks "
        "(the console follows console.language).",
    ),
    SettingSpec(
        "alerts",
        "no_data_min_seconds",
        60.0,
        number(1, 86400, " seconds"),
        "The shortest silence that raises a no-data warning when stale_after_seconds is "
        "automatic (3 times the plugin's reporting interval, at least this).",
    ),
    SettingSpec(
        "alerts",
        "max_clock_skew_seconds",
        300.0,
        number(0, 86400, " seconds"),
        "A pushed sample dated further ahead of this monitor's clock is refused (422): "
        "a wrong clock must not pin a plugin's last sample in the future.",
    ),
    SettingSpec(
        "supervisor",
        "healthy_after_seconds",
        30.0,
        number(1, 86400, " seconds"),
        "A restarted plugin counts as well again once it has run this long: its "
        "unexpected-exit alert resolves and its restart delay starts over.",
    ),
    SettingSpec(
        "supervisor",
        "keep_running",
        False,
        boolean(),
        "Leave the plugins the monitor started running when it stops, and adopt them "
        "again at its next start (checked by pid and start time).",
    ),
    SettingSpec(
        "storage",
        "database_url",
        "",
        database_url(),
        "Where the history is kept: empty for SQLite in the data folder, or a PostgreSQL "
        "database (postgresql://user@host:5432/database) that a central monitor shares; "
        f"${ENV_DATABASE_URL} and serve's --database-url set it for one run. Takes effect "
        "at the next start.",
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
        "forward",
        "buffer_mb",
        256,
        integer(1, 1_000_000),
        "A forwarding agent's outbox (serve --forward-to): megabytes of samples kept on disk "
        "while the central monitor cannot take them; beyond, the oldest are dropped.",
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
    SettingSpec(
        "api",
        "max_connections_per_client",
        64,
        integer(1, 10_000),
        "Open connections one client address may hold; more are answered 503 and closed.",
    ),
    SettingSpec(
        "api",
        "max_connections",
        900,
        integer(10, 100_000),
        "Open connections in all (keep it below the process's file limit, often 1024).",
    ),
    SettingSpec(
        "api",
        "header_timeout_seconds",
        10.0,
        number(1, 300, " seconds"),
        "A connection that has not sent its whole request headers this long after "
        "connecting (or after its request began) is closed.",
    ),
    SettingSpec(
        "api",
        "keep_alive_seconds",
        5,
        integer(1, 300),
        "An idle kept-alive connection is closed after this long.",
    ),
    SettingSpec(
        "api",
        "stream_messages_per_second",
        20,
        integer(1, 1000),
        "Messages a WebSocket client may send a second (in bursts of as many); a client "
        "sending more is closed with code 4429. Events sent to it are not limited.",
    ),
    SettingSpec(
        "api",
        "max_expensive_reads",
        2,
        integer(1, 64),
        "Backtests, exports over 24 h and replays over 10,000 events that may run at once; "
        "one more is answered 429 (they share the process with ingest).",
    ),
    SettingSpec("api", "ssl_cert", "", text(), "TLS certificate file (PEM); empty: plain HTTP."),
    SettingSpec("api", "ssl_key", "", text(), "TLS private key file (PEM)."),
    SettingSpec(
        "api",
        "ssl_key_password_file",
        "",
        text(),
        "File holding the passphrase of a protected api.ssl_key (owner only); empty: "
        "$PLUGIN_MONITOR_SSL_PASSPHRASE, else `plugin-monitor tls set-passphrase`.",
    ),
    SettingSpec(
        "api",
        "insecure_bind",
        False,
        boolean(),
        "Allow a bind to an address other than loopback without TLS (keys in clear text).",
    ),
    SettingSpec(
        "api",
        "allowed_hosts",
        (),
        text_list(),
        "Host names (besides localhost, 127.0.0.1, [::1] and api.host) the API answers "
        "to; any other Host header gets 421, which stops DNS rebinding.",
    ),
    SettingSpec(
        "api",
        "allowed_origins",
        (),
        text_list(),
        'Web page origins (e.g. "https://ops.example.com") allowed to open the alert '
        "stream; empty: no browser page may.",
    ),
    SettingSpec(
        "api",
        "trusted_proxies",
        (),
        address_list(),
        "Addresses of reverse proxies on this host whose X-Forwarded-For names the real "
        "client; a forwarded request from any other peer is never served without a key.",
    ),
    SettingSpec(
        "console",
        "tray_level",
        "critical",
        choice("info", "warning", "error", "critical"),
        "Alerts at or above this level also become tray (system) notifications.",
    ),
    SettingSpec(
        "console",
        "tray_recoveries",
        False,
        boolean(),
        "Recoveries of those alerts become tray notifications too (the notification "
        "centre always lists them).",
    ),
    SettingSpec(
        "console",
        "sound",
        False,
        boolean(),
        "Play a sound for each critical alert (QtMultimedia when installed: the "
        "'sound' extra; otherwise the system beep).",
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
        "backup",
        "directory",
        "",
        text(),
        "Folder the backups are written to (another disk, for example); empty: backups/ "
        "in the data folder.",
    ),
    SettingSpec(
        "backup",
        "interval_hours",
        1.0,
        number(0, 168, " hours"),
        "A backup is taken this long after the newest one while the monitor runs (the "
        "guide's recovery point of 1 hour); 0: only on demand and from cron.",
    ),
    SettingSpec(
        "backup",
        "encrypt",
        False,
        boolean(),
        "Encrypt backups (AES-256-GCM) with the data folder's backup key, kept in the OS "
        "keyring; export it with plugin-monitor backup export-key, or set a passphrase.",
    ),
    SettingSpec(
        "backup",
        "keep_hourly",
        24,
        integer(0, 1000),
        "The newest backup of each of this many last hours is kept.",
    ),
    SettingSpec(
        "backup",
        "keep_daily",
        7,
        integer(0, 1000),
        "The newest backup of each of this many last days is kept.",
    ),
    SettingSpec(
        "backup",
        "keep_weekly",
        4,
        integer(0, 1000),
        "The newest backup of each of this many last weeks is kept; older ones are removed.",
    ),
    SettingSpec(
        "security",
        "auth_failure_limit",
        5,
        integer(1, 1000),
        "Bad API keys one client may send within security.auth_failure_window_seconds; "
        "the next raises the auth_failures alert and locks the client out.",
    ),
    SettingSpec(
        "security",
        "auth_failure_window_seconds",
        300.0,
        number(10, 86400, " seconds"),
        "Window over which a client's bad API keys are counted.",
    ),
    SettingSpec(
        "security",
        "lockout_seconds",
        300.0,
        number(1, 86400, " seconds"),
        "How long a locked-out client's requests without a valid key get 429; "
        "its requests with a valid key are still served.",
    ),
    SettingSpec(
        "security",
        "rate_alert_per_minute",
        100,
        integer(1, 10_000_000),
        "Requests per minute by one API key (not an --ingest key) that raise the "
        "rate_limit warning (the guide's API abuse figure).",
    ),
    SettingSpec(
        "security",
        "rate_limit_per_minute",
        6000,
        integer(1, 10_000_000),
        "Requests per minute one API key (not an --ingest key) may make; more get 429.",
    ),
    SettingSpec(
        "security",
        "ingest_rate_limit_per_minute",
        120_000,
        integer(1, 100_000_000),
        "Requests per minute one --ingest key may make (alert and limit alike); more get 429.",
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


def default(dotted: str) -> Any:
    """A setting's declared default (for the settings dataclasses)."""
    return SPEC_BY_KEY[dotted].default


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
