"""A supervised plugin's `[health]` check: an HTTP GET that must answer
2xx or 3xx, or a command that must exit 0, within the timeout. The result
becomes one of the plugin's samples (response time, one request, one error
when it failed), so the response-time and error rules apply to it."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from desktop_app.models.samples import Sample
from desktop_app.models.supervision import HealthCheck


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 3xx is an answer; it is not followed


_OPENER = urllib.request.build_opener(_NoRedirect)


def run_check(key: str, check: HealthCheck, folder: Path) -> Sample:
    started = time.monotonic()
    ok = _http(check) if check.url else _command(check, folder)
    elapsed = time.monotonic() - started
    return Sample(
        plugin_key=key,
        ts=time.time(),
        response_time=elapsed,
        request_count=1.0,
        error_count=0.0 if ok else 1.0,
    )


def _http(check: HealthCheck) -> bool:
    assert check.url is not None
    try:
        with _OPENER.open(check.url, timeout=check.timeout_seconds) as answer:
            return bool(200 <= answer.status < 400)
    except urllib.error.HTTPError as error:
        return 300 <= error.code < 400
    except (OSError, ValueError):
        return False


def _command(check: HealthCheck, folder: Path) -> bool:
    assert check.command is not None
    try:
        done = subprocess.run(
            check.command,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=check.timeout_seconds,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0
