"""One supervised plugin's process: started in its own session with its
output going straight to `logs/plugins/<id>.log`, stopped with its children
(SIGTERM, then SIGKILL after the manifest's timeout), and found again after a
monitor restart through a pid file checked against the process's start time.

The child writes its log itself (an append-mode file descriptor), so an
adopted plugin keeps logging while no monitor runs and no pipe can fill up.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from desktop_app.models.supervision import OWN_PYTHON, Supervision

log = logging.getLogger("plugin_monitor.monitoring.supervisor")

LOG_ROTATE_BYTES = 10 * 1024 * 1024
LOG_KEEP = 3
KILL_WAIT_SECONDS = 2.0


@dataclass(frozen=True)
class ChildFiles:
    log: Path
    pid: Path


def rotate(path: Path, keep: int = LOG_KEEP, limit: int = LOG_ROTATE_BYTES) -> None:
    """At start: a log past `limit` becomes `<id>.log.1` (older ones shift up)."""
    try:
        if path.stat().st_size < limit:
            return
    except FileNotFoundError:
        return
    for index in range(keep - 1, 0, -1):
        older = path.with_name(f"{path.name}.{index}")
        if older.exists():
            older.replace(path.with_name(f"{path.name}.{index + 1}"))
    path.replace(path.with_name(f"{path.name}.1"))


def copytruncate(path: Path, limit: int = LOG_ROTATE_BYTES) -> None:
    """While it runs: a log past `limit` is copied to `<id>.log.1` and emptied in
    place; the child's append-mode descriptor then writes from the start."""
    try:
        if path.stat().st_size < limit:
            return
        backup = path.with_name(f"{path.name}.1")
        with path.open("rb") as source, backup.open("wb") as copy:
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        os.truncate(path, 0)
    except OSError as error:
        log.warning("could not rotate %s: %s", path, error.strerror)


class PluginChild:
    """A running plugin process (started here, or adopted from a pid file)."""

    def __init__(self, process: psutil.Process, files: ChildFiles) -> None:
        self.process = process
        self.files = files
        self.started_at = process.create_time()
        self._popen: subprocess.Popen[bytes] | None = None
        # The exit code (-N for signal N) once ended; an adopted process's is unknown.
        self.returncode: int | None = None
        self._unknown_end = False

    @property
    def pid(self) -> int:
        return int(self.process.pid)

    @classmethod
    def start(cls, folder: Path, supervision: Supervision, files: ChildFiles) -> PluginChild:
        """Start the plugin; an OSError (no such program, no permission) is raised."""
        run = supervision.run
        files.log.parent.mkdir(parents=True, exist_ok=True)
        rotate(files.log)
        config_dir = folder / "config"
        env = {**os.environ, **supervision.environment(str(config_dir))}
        with files.log.open("ab") as output:
            output.write(
                f"--- started by Plugin Monitor at {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode()
            )
            output.flush()
            popen = subprocess.Popen(
                [sys.executable if word == OWN_PYTHON else word for word in run.command],
                cwd=folder / run.cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        child = cls(psutil.Process(popen.pid), files)
        child._popen = popen
        child.write_pid_file()
        return child

    @classmethod
    def adopt(cls, files: ChildFiles) -> PluginChild | None:
        """The plugin a previous monitor left running, if its pid file names a
        live process with the same start time (so a reused pid is never taken)."""
        try:
            record = json.loads(files.pid.read_text(encoding="utf-8"))
            process = psutil.Process(int(record["pid"]))
            if abs(process.create_time() - float(record["started"])) > 0.01:
                return None
            if process.status() == psutil.STATUS_ZOMBIE:
                return None
        except (OSError, ValueError, KeyError, TypeError, psutil.Error):
            return None
        return cls(process, files)

    def write_pid_file(self) -> None:
        record = {"pid": self.pid, "started": self.started_at}
        self.files.pid.write_text(json.dumps(record), encoding="utf-8")

    def forget_pid_file(self) -> None:
        self.files.pid.unlink(missing_ok=True)

    def ended(self) -> bool:
        """Whether the process has ended; its code is then in `returncode`."""
        if self.returncode is not None or self._unknown_end:
            return True
        if self._popen is not None:
            self.returncode = self._popen.poll()
            return self.returncode is not None
        try:  # adopted: not our child, so its parent (init) reaps it
            alive = self.process.is_running() and self.process.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            alive = False
        self._unknown_end = not alive
        return self._unknown_end

    def tree(self) -> list[psutil.Process]:
        """The plugin's process and its children, for metrics and for stopping."""
        try:
            return [self.process, *self.process.children(recursive=True)]
        except psutil.Error:
            return []

    def note_end(self, gone: list[psutil.Process]) -> None:
        """Take the exit code from a wait that reaped this process."""
        for proc in gone:
            if proc.pid == self.pid and self._popen is not None:
                self.returncode = self._popen.returncode = int(proc.returncode)
        self._unknown_end = self.returncode is None
        self.forget_pid_file()


def stop_children(children: list[PluginChild], timeout: float) -> None:
    """SIGTERM to every plugin and its children at once, SIGKILL to what is left
    after `timeout`: stopping 50 plugins takes one timeout, not 50."""
    trees = [proc for child in children for proc in child.tree()]
    for proc in trees:
        _signal(proc, signal.SIGTERM)
    gone, alive = psutil.wait_procs(trees, timeout=timeout)
    for proc in alive:
        _signal(proc, signal.SIGKILL)
    gone += psutil.wait_procs(alive, timeout=KILL_WAIT_SECONDS)[0]
    for child in children:
        child.note_end(gone)


def _signal(proc: psutil.Process, number: signal.Signals) -> None:
    with contextlib.suppress(psutil.Error):
        proc.send_signal(number)
