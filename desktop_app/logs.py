"""Log files of the data folder, configured from `config/logging.conf`.

`logs/system.log` takes everything, `logs/plugin_monitoring.log` the
monitoring subsystems (collectors, alerts, plugins). Files rotate and are
readable by their owner only (R23, R24). Loggers are named per subsystem
under `plugin_monitor.`.
"""

from __future__ import annotations

import configparser
import logging
import logging.config
import logging.handlers
import os
import sys

from desktop_app.errors import SettingsError
from desktop_app.paths import DataPaths, create_private

LOGGING_CONF = """\
# Logging for Plugin Monitor (Python logging.config.fileConfig format).
# %(logdir)s stands for the data folder's logs/ folder. Files rotate at 10 MB,
# five generations kept, and are readable by their owner only.

[loggers]
keys=root,plugin_monitor,monitoring

[handlers]
keys=console,system,monitoring

[formatters]
keys=plain

[logger_root]
level=WARNING
handlers=console

[logger_plugin_monitor]
level=INFO
handlers=system
qualname=plugin_monitor
propagate=1

[logger_monitoring]
level=NOTSET
handlers=monitoring
qualname=plugin_monitor.monitoring
propagate=1

[handler_console]
class=StreamHandler
level=INFO
formatter=plain
args=(sys.stderr,)

[handler_system]
class=desktop_app.logs.OwnerOnlyRotatingFileHandler
level=NOTSET
formatter=plain
args=('%(logdir)s/system.log', 'a', 10485760, 5, 'utf-8')

[handler_monitoring]
class=desktop_app.logs.OwnerOnlyRotatingFileHandler
level=NOTSET
formatter=plain
args=('%(logdir)s/plugin_monitoring.log', 'a', 10485760, 5, 'utf-8')

[formatter_plain]
format=%(asctime)s %(levelname)s %(name)s: %(message)s
"""


class OwnerOnlyRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file created with mode 0600, also after each rotation.

    A line that cannot be written (a full disk) is dropped with one line on
    stderr when the dropping starts and one when it ends, instead of the
    logging module's 68-line `--- Logging error ---` traceback for each."""

    dropped = 0
    _failed = False

    def _open(self):  # type: ignore[no-untyped-def]
        stream = super()._open()
        os.chmod(self.baseFilename, 0o600)
        return stream

    def emit(self, record: logging.LogRecord) -> None:
        self._failed = False
        super().emit(record)
        if self.dropped and not self._failed:
            sys.stderr.write(
                f"plugin-monitor: {self.baseFilename} is written again; "
                f"{self.dropped} log line(s) were dropped\n"
            )
            self.dropped = 0

    def handleError(self, record: logging.LogRecord) -> None:
        self._failed = True
        self.dropped += 1
        if self.dropped == 1:
            error = sys.exc_info()[1]
            sys.stderr.write(
                f"plugin-monitor: cannot write {self.baseFilename} ({error}); log lines are "
                "dropped until it can be written again\n"
            )


def ensure_logging_conf(paths: DataPaths) -> None:
    if not paths.logging_conf.exists():
        with os.fdopen(create_private(paths.logging_conf), "w", encoding="utf-8") as file:
            file.write(LOGGING_CONF)


def configure_logging(paths: DataPaths, level: str) -> None:
    """Apply logging.conf; a broken file is reported by name, not a traceback."""
    logdir = paths.logs_dir.as_posix().replace("%", "%%").replace("'", "\\'")
    try:
        logging.config.fileConfig(
            paths.logging_conf, defaults={"logdir": logdir}, disable_existing_loggers=False
        )
    except (configparser.Error, KeyError, ValueError, SyntaxError, ImportError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SettingsError(f"{paths.logging_conf}: cannot be used: {message}") from None
    set_level(level)


def set_level(level: str) -> None:
    """The least severe level our loggers pass on (the `logging.level` setting)."""
    logging.getLogger("plugin_monitor").setLevel(level.upper())


def loggable(text: str, limit: int = 200) -> str:
    """Free text (a plugin name, a path from a URL) fit for one log line: a
    newline or other control character is written escaped, so it cannot
    forge a line, and a long text is cut."""
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[:limit])
    return shown + ("…" if len(text) > limit else "")
