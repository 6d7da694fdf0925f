"""`plugin-monitor self-check`: is this machine ready to run Plugin Monitor?

Each item is ok, a note (it works, in a lesser way the operator should know
of), or a failure with its fix; any failure makes the exit code 1. Nothing
is changed: the database is read, ports are bound for a moment, the lock is
only tried. Qt is loaded in a child process, so a platform plugin that
aborts (missing libraries) is reported instead of ending the check.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from desktop_app import bundled
from desktop_app.config import Settings, SettingsFile
from desktop_app.errors import InstanceLockedError, OperatorError
from desktop_app.paths import ENV_DATABASE_URL, DataPaths

PROBE_SECONDS = 30
LOW_DISK_BYTES = 1024**3


class Verdict(StrEnum):
    OK = "ok"
    NOTE = "note"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Finding:
    item: str
    verdict: Verdict
    text: str  # what was found; for a failure, the fix too


def run_self_check(data_dir: Path, out: TextIO = sys.stdout) -> int:
    paths = DataPaths(data_dir)
    findings = [data_folder(paths)]
    settings = Settings()
    if not paths.settings_file.exists():
        findings.append(Finding("settings", Verdict.OK, "none yet: the defaults, written at start"))
    else:
        try:
            settings = SettingsFile(paths.settings_file).load()
            findings.append(Finding("settings", Verdict.OK, f"{paths.settings_file} valid"))
        except OperatorError as error:
            findings.append(Finding("settings", Verdict.FAIL, str(error)))
    checks: list[Callable[[], Finding | list[Finding]]] = [
        lambda: database(paths, settings),
        lambda: ports(paths, settings),
        qt_platform,
        lambda: secret_store(data_dir),
        lambda: tls_files(settings),
        lambda: newest_backup(paths, settings),
    ]
    for check in checks:
        found = check()
        findings += found if isinstance(found, list) else [found]
    width = max(len(f.item) for f in findings)
    for finding in findings:
        print(f"{finding.verdict:<4}  {finding.item:<{width}}  {finding.text}", file=out)
    failed = [f for f in findings if f.verdict is Verdict.FAIL]
    print(
        f"{len(failed)} of {len(findings)} items need fixing" if failed else "ready",
        file=out,
    )
    return 1 if failed else 0


def data_folder(paths: DataPaths) -> Finding:
    try:
        paths.prepare()
        probe = paths.root / ".self-check"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as error:
        return Finding(
            "data folder",
            Verdict.FAIL,
            f"{paths.root}: cannot write ({error.strerror}); give --data-dir a folder you own",
        )
    free = shutil.disk_usage(paths.root).free
    verdict = Verdict.NOTE if free < LOW_DISK_BYTES else Verdict.OK
    return Finding("data folder", verdict, f"{paths.root} ({free / 1024**3:.1f} GiB free)")


def database(paths: DataPaths, settings: Settings) -> Finding:
    url = os.environ.get(ENV_DATABASE_URL) or settings.database_url
    if url:
        from desktop_app.services.storage.postgres import without_password

        shown = without_password(url)
        text = f"PostgreSQL at {shown}: kept by its server, not checked here"
        return Finding("database", Verdict.NOTE, text)
    if not paths.database.exists():
        return Finding("database", Verdict.OK, "none yet: made at the first start")
    from desktop_app.services.storage.database import check_file

    findings = check_file(paths.database)
    if findings != ["ok"]:
        verdict = "; ".join(findings[:3])
        return Finding(
            "database",
            Verdict.FAIL,
            f"{paths.database}: damaged ({verdict}); restore the newest backup "
            "(plugin-monitor restore NAME; plugin-monitor backup --list)",
        )
    size = paths.database.stat().st_size / 1e6
    return Finding("database", Verdict.OK, f"{paths.database} ({size:.1f} MB, intact)")


def ports(paths: DataPaths, settings: Settings) -> list[Finding]:
    running = _running_monitor(paths)
    found = []
    for name, port in (("API port", settings.api.port), ("WebSocket port", settings.api.ws_port)):
        with socket.socket() as probe:
            try:
                probe.bind((settings.api.host, port))
            except OSError as error:
                if running is not None:
                    text = f"{port}: used by the Plugin Monitor running here (pid {running})"
                    found.append(Finding(name, Verdict.OK, text))
                    continue
                fix = f"set another with plugin-monitor settings set api.{_key(name)} PORT"
                text = f"{settings.api.host}:{port} cannot be used ({error.strerror}); {fix}"
                found.append(Finding(name, Verdict.FAIL, text))
                continue
        found.append(Finding(name, Verdict.OK, f"{settings.api.host}:{port} free"))
    return found


def _key(name: str) -> str:
    return "port" if name == "API port" else "ws_port"


def _running_monitor(paths: DataPaths) -> str | None:
    from desktop_app.services.instance_lock import InstanceLock

    lock = InstanceLock(paths.lock_file)
    try:
        lock.acquire()
    except InstanceLockedError as error:
        return error.holder
    lock.release()
    return None


def qt_platform() -> list[Finding]:
    from desktop_app.views.preflight import display_problem

    if not any(os.environ.get(name) for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")):
        # A server: nothing is wrong with it, only the console cannot open here.
        text = "no display here: the console cannot open, `plugin-monitor serve` needs none"
        return [Finding("Qt platform", Verdict.NOTE, text)]
    problem = display_problem()
    if problem is not None:
        return [Finding("Qt platform", Verdict.FAIL, problem)]
    try:
        probe = subprocess.run(
            [*bundled.this_program(), "self-check", "--qt-probe"],
            capture_output=True,
            text=True,
            timeout=PROBE_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [Finding("Qt platform", Verdict.FAIL, "Qt did not start within 30 s")]
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        return [Finding("Qt platform", Verdict.FAIL, f"Qt could not start: {last}")]
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    platform = Finding("Qt platform", Verdict.OK, f"{found['platform']} loads")
    if not found["tray"]:
        text = "no system tray here: alerts show as toasts and in the window only"
        return [platform, Finding("tray", Verdict.NOTE, text)]
    messages = (
        Finding("notifications", Verdict.OK, "tray messages supported")
        if found["messages"]
        else Finding("notifications", Verdict.NOTE, "no tray messages: toasts only")
    )
    return [platform, Finding("tray", Verdict.OK, "available"), messages]


def secret_store(data_dir: Path) -> Finding:
    from desktop_app.services.secrets import SecretStore

    store = SecretStore(data_dir)
    notice = store.fallback_notice()
    if notice is not None:
        return Finding("secret store", Verdict.NOTE, notice)
    return Finding("secret store", Verdict.OK, store.location)


def tls_files(settings: Settings) -> Finding:
    api = settings.api
    if not api.ssl_cert:
        return Finding("TLS", Verdict.OK, "not configured (plain HTTP)")
    for setting, name in (("api.ssl_cert", api.ssl_cert), ("api.ssl_key", api.ssl_key)):
        file = Path(name).expanduser()
        if not file.is_file():
            return Finding("TLS", Verdict.FAIL, f"{setting}: {file} does not exist")
    from cryptography import x509

    try:
        certificate = x509.load_pem_x509_certificate(Path(api.ssl_cert).expanduser().read_bytes())
    except (OSError, ValueError) as error:
        return Finding("TLS", Verdict.FAIL, f"api.ssl_cert: {api.ssl_cert} unreadable ({error})")
    left = certificate.not_valid_after_utc.timestamp() - time.time()
    if left <= 0:
        return Finding("TLS", Verdict.FAIL, f"{api.ssl_cert} expired; renew it")
    verdict = Verdict.NOTE if left < 14 * 86400 else Verdict.OK
    return Finding("TLS", verdict, f"{api.ssl_cert} valid for {left / 86400:.0f} more days")


def newest_backup(paths: DataPaths, settings: Settings) -> Finding:
    from desktop_app.services.backup.archive import backup_directory, backups_in

    directory = backup_directory(paths, settings.backup)
    found = backups_in(directory) if directory.is_dir() else []
    if not found:
        return Finding("backups", Verdict.NOTE, f"none yet in {directory}: plugin-monitor backup")
    age = (time.time() - max(b.taken_at for b in found)) / 3600
    due = settings.backup.interval_hours
    if due and age > 2 * due:
        text = f"the newest is {age:.0f} h old (one is due every {due:g} h): plugin-monitor backup"
        return Finding("backups", Verdict.FAIL, text)
    return Finding("backups", Verdict.OK, f"the newest is {age:.1f} h old, in {directory}")
