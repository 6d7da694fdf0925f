"""The alert rules: which metric, which lines, which levels (R5, R6)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from desktop_app.models.levels import AlertLevel
from desktop_app.models.metrics import BY_WIRE
from desktop_app.models.samples import Sample
from desktop_app.models.thresholds import ThresholdValues
from desktop_app.services.alerts.columns import Arrays, error_rates

Line = tuple[AlertLevel, float]


@dataclass(frozen=True)
class Rule:
    """One condition watched per plugin.

    `value` reads the rule's metric from a sample (and the plugin's current
    run of failed samples); None means the sample says nothing about it.
    `lines` gives the enabled (level, threshold) pairs in rising order.
    """

    name: str
    title: str
    unit: str
    uses_hysteresis: bool
    value: Callable[[Sample, int], float | None]
    lines: Callable[[ThresholdValues], tuple[Line, ...]]
    metric: str = ""  # the catalogue's wire name, when the rule watches one metric
    # An event (a setting changed, a key made): each sample at its line is
    # recorded, streamed and notified as an alert resolved at once, never open.
    event: bool = False
    # `value` over a block's columns and failure runs (alerts/columns.py);
    # None for a rule that reads only custom metrics, which a block without
    # custom columns never has.
    columns: Callable[[Arrays, np.ndarray], np.ndarray | None] | None = None

    def describe(self, value: float, level: AlertLevel, threshold: float | None) -> str:
        """A raise or an escalation: the value and the line it reached."""
        return f"{self.title} {value:g}{self._unit} is at or above {self._line(level, threshold)}"

    def describe_lower(
        self, value: float, old: AlertLevel, new: AlertLevel, threshold: float | None
    ) -> str:
        """A de-escalation: better, not yet well."""
        return (
            f"{self.title} down to {value:g}{self._unit} from {old.label}, still at or "
            f"above {self._line(new, threshold)}"
        )

    def describe_recovery(self, value: float, line: float | None, seconds: float) -> str:
        """A recovery reads as one: the value that cleared it, the line it fell
        below and how long the alert lasted, never the raise text."""
        below = f" (below {line:g}{self._unit})" if line is not None else ""
        return f"{self.title} back to {value:g}{self._unit}{below} after {span(seconds)}"

    @property
    def _unit(self) -> str:
        return f" {self.unit}" if self.unit else ""

    def _line(self, level: AlertLevel, threshold: float | None) -> str:
        at = f" of {threshold:g}{self._unit}" if threshold is not None else ""
        return f"the {level.label} line{at}"


SPAN_UNITS = ("s", "min", "h", "d")


def span(seconds: float, units: tuple[str, str, str, str] = SPAN_UNITS) -> str:
    """A duration as an operator says it: 45 s, 1 min 30 s, 12 min, 3 h 5 min,
    2 d 4 h (`units` in another language: the console passes its own)."""
    sec, mins, hrs, days = units
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} {sec}"
    minutes, hours = whole // 60, whole // 3600
    if minutes < 10 and whole % 60:
        return f"{minutes} {mins} {whole % 60} {sec}"
    if hours == 0:
        return f"{minutes} {mins}"
    if hours < 24:
        return f"{hours} {hrs} {minutes % 60} {mins}" if minutes % 60 else f"{hours} {hrs}"
    return f"{hours // 24} {days} {hours % 24} {hrs}" if hours % 24 else f"{hours // 24} {days}"


def _metric_rule(
    name: str,
    wire: str,
    lines: Callable[[ThresholdValues], tuple[Line, ...]],
    value: Callable[[Sample, int], float | None] | None = None,
    columns: Callable[[Arrays, np.ndarray], np.ndarray | None] | None = None,
) -> Rule:
    """A rule on one metric: its title and unit come from the metric catalogue,
    and so does its value when the metric is a stored column."""
    metric = BY_WIRE[wire]
    stored = metric.name
    read = attrgetter(stored)
    return Rule(
        name,
        metric.label,
        metric.unit,
        True,
        value or (lambda sample, _: read(sample)),
        lines,
        metric=wire,
        columns=columns or (lambda arrays, _: arrays.get(stored)),
    )


def _enabled(*lines: Line) -> tuple[Line, ...]:
    return tuple(line for line in lines if line[1] > 0)


LEVEL_RULES: tuple[Rule, ...] = (
    _metric_rule(
        "cpu",
        "cpu_usage",
        lambda t: _enabled(
            (AlertLevel.WARNING, t.cpu_threshold), (AlertLevel.CRITICAL, t.cpu_critical_threshold)
        ),
    ),
    _metric_rule(
        "memory",
        "memory_usage",
        lambda t: _enabled(
            (AlertLevel.WARNING, t.memory_threshold),
            (AlertLevel.CRITICAL, t.memory_critical_threshold),
        ),
    ),
    _metric_rule(
        "response_time",
        "response_time",
        lambda t: _enabled(
            (AlertLevel.WARNING, t.response_time_threshold),
            (AlertLevel.CRITICAL, t.response_time_critical_threshold),
        ),
    ),
    _metric_rule(
        "error_rate",
        "error_rate",
        lambda t: _enabled((AlertLevel.ERROR, t.error_rate_threshold)),
        value=lambda sample, _: sample.error_rate,
        columns=lambda arrays, _: error_rates(arrays),
    ),
    Rule(
        "consecutive_errors",
        "Failed samples in a row",
        "",
        False,
        lambda _, failures: float(failures),
        lambda t: _enabled((AlertLevel.CRITICAL, float(t.consecutive_errors_threshold))),
        columns=lambda _, failures: failures,
    ),
)


@dataclass(frozen=True)
class WordedRule(Rule):
    """A rule on a state rather than a level (a plugin's process exited, its
    crash loop): its alerts say what happened, in English and Korean, instead
    of "1 is at or above the error line of 1". `{value}` and `{span}` are filled."""

    raised: str = ""
    recovered: str = ""
    raised_ko: str = ""
    recovered_ko: str = ""

    def describe(self, value: float, level: AlertLevel, threshold: float | None) -> str:
        return self.raised.format(value=f"{value:g}")

    def describe_recovery(self, value: float, line: float | None, seconds: float) -> str:
        return self.recovered.format(span=span(seconds))


def _share_of_limit(used: float | None, limit: float | None) -> float | None:
    """Use as a percentage of a supervised plugin's limit (both in its sample)."""
    return None if used is None or not limit else 100.0 * used / limit


SUPERVISION_RULES: tuple[Rule, ...] = (
    WordedRule(
        "plugin_exit",
        "Unexpected exits",
        "",
        False,
        lambda sample, _: sample.extras.get("unexpected_exits"),
        lambda _: ((AlertLevel.ERROR, 1.0),),
        raised="The plugin's process exited unexpectedly (unexpected exits since it last ran "
        "well: {value})",
        recovered="The plugin's process has run well again, after {span}",
        raised_ko="플러그인 프로세스가 예기치 않게 종료됨 (마지막 정상 실행 이후 {value}회)",
        recovered_ko="플러그인 프로세스가 다시 정상 실행 중 ({span} 만에)",
    ),
    WordedRule(
        "crash_loop",
        "Crash loop",
        "",
        False,
        lambda sample, _: sample.extras.get("crash_loop"),
        lambda _: ((AlertLevel.CRITICAL, 1.0),),
        raised="Crash loop: the plugin's process kept exiting, so it is no longer restarted; "
        "start it once it is fixed",
        recovered="Crash loop over: the plugin's process has run well again, after {span}",
        raised_ko="크래시 루프: 플러그인 프로세스가 계속 종료되어 더 이상 재시작하지 않음; "
        "고친 뒤 시작하세요",
        recovered_ko="크래시 루프 해소: 플러그인 프로세스가 다시 정상 실행 중 ({span} 만에)",
    ),
    WordedRule(
        "collect_error",
        "Collect failures",
        "",
        False,
        lambda sample, _: sample.extras.get("collect_failures"),
        lambda _: ((AlertLevel.ERROR, 1.0),),
        raised="The plugin's collect() failed, so the plugin was disabled; the monitor's log "
        "says why. Enable it again once it is fixed",
        recovered="The plugin's collect() works again, after {span}",
        raised_ko="플러그인의 collect()가 실패하여 플러그인을 비활성화함; 이유는 모니터 "
        "로그에 있음. 고친 뒤 다시 활성화하세요",
        recovered_ko="플러그인의 collect()가 다시 동작함 ({span} 만에)",
    ),
    Rule(
        "memory_limit",
        "Memory use of its limit",
        "%",
        True,
        lambda sample, _: _share_of_limit(sample.memory_rss, sample.extras.get("memory_limit")),
        lambda _: ((AlertLevel.ERROR, 100.0),),
    ),
    Rule(
        "cpu_limit",
        "CPU use of its limit",
        "%",
        True,
        lambda sample, _: _share_of_limit(sample.cpu_percent, sample.extras.get("cpu_limit")),
        lambda _: ((AlertLevel.ERROR, 100.0),),
    ),
)


def _event(name: str, title: str, extra: str, raised: str, raised_ko: str) -> WordedRule:
    """A security event (R25): info, told once, resolved at once; the audit
    trail holds who did what."""
    return WordedRule(
        name,
        title,
        "",
        False,
        lambda sample, _: sample.extras.get(extra),
        lambda _: ((AlertLevel.INFO, 1.0),),
        event=True,
        raised=raised,
        raised_ko=raised_ko,
    )


# The built-in `security` plugin's rules. The watch behind them names the
# client or key in the monitor's log; the alerts say what happened.
SECURITY_RULES: tuple[Rule, ...] = (
    WordedRule(
        "auth_failures",
        "Failed logins",
        "",
        False,
        lambda sample, _: sample.extras.get("locked_out_clients"),
        lambda _: ((AlertLevel.CRITICAL, 1.0),),
        raised="Failed logins: {value} client(s) sent too many bad API keys and are locked "
        "out (429 without a valid key); the audit trail names them (auth.lockout)",
        recovered="No more failed logins: the lockout ended, after {span}",
        raised_ko="로그인 실패: 클라이언트 {value}개가 잘못된 API 키를 너무 많이 보내 차단됨 "
        "(유효한 키 없이는 429); 감사 기록에 클라이언트가 있음 (auth.lockout)",
        recovered_ko="로그인 실패 없음: 차단이 끝남 ({span} 만에)",
    ),
    WordedRule(
        "rate_limit",
        "API keys over their rate",
        "",
        False,
        lambda sample, _: sample.extras.get("keys_over_rate"),
        lambda _: ((AlertLevel.WARNING, 1.0),),
        raised="API abuse: {value} key(s) made more requests in a minute than their rate "
        "allows; the audit trail names them (auth.over_rate)",
        recovered="Every API key is within its rate again, after {span}",
        raised_ko="API 남용: 키 {value}개가 1분 동안 허용량보다 많이 요청함; 감사 기록에 "
        "키가 있음 (auth.over_rate)",
        recovered_ko="모든 API 키가 다시 허용량 이내 ({span} 만에)",
    ),
    WordedRule(
        "backup_overdue",
        "Backups overdue",
        "",
        False,
        lambda sample, _: sample.extras.get("backup_overdue"),
        lambda _: ((AlertLevel.WARNING, 1.0),),
        raised="Backups are overdue: none for more than twice backup.interval_hours; the "
        "daily checks and the backup folder's health say why",
        recovered="Backups are on time again: a backup was taken, after {span}",
        raised_ko="백업 지연: backup.interval_hours의 두 배가 넘도록 백업이 없음; 이유는 일일 "
        "점검과 백업 상태에 있음",
        recovered_ko="백업 정상화: 백업이 다시 만들어짐 ({span} 만에)",
    ),
    _event(
        "config_change",
        "Setting changed",
        "config_changes",
        "A setting was changed; the audit trail says who changed what",
        "설정이 변경됨; 누가 무엇을 바꿨는지는 감사 기록에 있음",
    ),
    _event(
        "key_change",
        "API key created or revoked",
        "key_changes",
        "An API key was created or revoked; the audit trail says which",
        "API 키가 생성되거나 폐기됨; 어느 키인지는 감사 기록에 있음",
    ),
    _event(
        "plugin_install",
        "Plugin installed",
        "plugin_installs",
        "A plugin was installed; the audit trail says who installed which",
        "플러그인이 설치됨; 누가 무엇을 설치했는지는 감사 기록에 있음",
    ),
)

RULES: tuple[Rule, ...] = (*LEVEL_RULES, *SUPERVISION_RULES, *SECURITY_RULES)
RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}
