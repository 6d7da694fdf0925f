"""A real, throw-away PostgreSQL server for the tests.

`initdb` into a temporary folder, `pg_ctl start` on a free loopback port,
a fresh database for each test that asks, and the whole cluster removed at
the end. As root (CI runs so) the server runs as the `postgres` user, since
`initdb` refuses root. Durability is off (fsync, synchronous_commit): the
tests are about what the monitor does with PostgreSQL, not about the
server's own crash safety, and it saves about a third of their time.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

_numbers = itertools.count(1)


def postgres_bin() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, or Debian's versioned folder."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    def __init__(self, bin_dir: Path, *, durable: bool = False) -> None:
        """`durable`: the server's own defaults (fsync and synchronous commits
        on), for benchmarks; the tests run without."""
        self._bin = bin_dir
        self._durable = durable
        self.folder = Path(tempfile.mkdtemp(prefix="pm-postgres-"))
        self.port = _free_port()
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            self._as_user = ["runuser", "-u", "postgres", "--"]
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self._data = self.folder / "data"

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            [*self._as_user, *command], capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command[:2])} failed: {done.stderr or done.stdout}")

    def start(self) -> None:
        self._run(
            str(self._bin / "initdb"),
            "-D",
            str(self._data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.resume()

    def resume(self) -> None:
        """Start the server (again, after `pause`) on the same port."""
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
        options += "-c max_connections=300"
        if not self._durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        log = str(self.folder / "server.log")
        self._run(
            str(self._bin / "pg_ctl"),
            "-D",
            str(self._data),
            "-o",
            options,
            "-l",
            log,
            "-w",
            "start",
        )

    def pause(self) -> None:
        """Stop the server, ending every connection, keeping its data."""
        self._run(str(self._bin / "pg_ctl"), "-D", str(self._data), "-m", "fast", "-w", "stop")

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run(str(self._bin / "pg_ctl"), "-D", str(self._data), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(self.url(), autocommit=True)

    @contextlib.contextmanager
    def fresh_database(self) -> Iterator[str]:
        """A new empty database's URL, dropped afterwards (with whatever is still connected)."""
        name = f"pm_test_{os.getpid()}_{next(_numbers)}"
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0")
        try:
            yield self.url(name)
        finally:
            with self.admin() as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def unavailable_reason() -> str | None:
    """Why no server can be started here, or None."""
    if postgres_bin() is None:
        return "needs PostgreSQL's initdb and pg_ctl (.ci/run installs Debian's postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root needs a postgres user for initdb (Debian's package makes it)"
    return None


def start_or_skip() -> PostgresServer:
    """A started server; without one a test skips here, and fails in CI."""
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get("PLUGIN_MONITOR_CI") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    bin_dir = postgres_bin()
    assert bin_dir is not None
    server = PostgresServer(bin_dir)
    server.start()
    return server
