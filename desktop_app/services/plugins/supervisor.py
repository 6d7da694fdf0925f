"""The plugin supervisor: starts the plugins whose manifest has `[run]`,
restarts them under their policy, stops them (with their children), watches
their limits and health, and tells the alert rules through samples.

One thread owns every child; the API, the command line and the console ask
it through `control()`, whose Future completes when the action is done. Each
state change is stored at once as a sample of the plugin (unexpected exits,
crash loop, restarts, uptime, limits), so its alerts are evaluated from
stored data like any other and stay in step with it across a crash.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from desktop_app.config import SupervisorSettings
from desktop_app.errors import OperatorError, PluginStateError, UnknownPluginError
from desktop_app.models.health import WorkerHealth
from desktop_app.models.samples import Sample
from desktop_app.models.supervision import PluginState, PluginStatus, RestartBudget
from desktop_app.services.plugins.child import ChildFiles, PluginChild, copytruncate, stop_children
from desktop_app.services.plugins.health_checks import run_check
from desktop_app.services.plugins.limits import LimitWatch
from desktop_app.services.plugins.manifest import Manifest
from desktop_app.services.plugins.supervised import SupervisedPlugin, start_failure
from desktop_app.services.workers import is_running, join, seconds_left

log = logging.getLogger("plugin_monitor.monitoring.supervisor")

TICK_SECONDS = 0.2
# The first health check after a start: time to bind a port, not yet a failure.
FIRST_CHECK_SECONDS = 2.0
ROTATE_CHECK_SECONDS = 10.0


class Supervisor:
    name = "supervisor"

    def __init__(
        self,
        *,
        logs_dir: Path,
        run_dir: Path,
        emit: Callable[[list[Sample]], None],
        settings: Callable[[], SupervisorSettings],
        is_enabled: Callable[[str], bool],
    ) -> None:
        self._logs_dir, self._run_dir = logs_dir, run_dir
        self._emit = emit
        self._settings = settings
        self._is_enabled = is_enabled
        self._plugins: dict[str, SupervisedPlugin] = {}
        self._statuses: dict[str, PluginStatus] = {}  # swapped whole, read by any thread
        self._calls: queue.Queue[tuple[Callable[[], Any], Future[Any]]] = queue.Queue()
        self._checks = ThreadPoolExecutor(max_workers=4, thread_name_prefix="plugin-health")
        self._limits = LimitWatch()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_rotate = 0.0
        self._adoptable: set[str] = set()
        self.error: str | None = None

    # -- any thread ---------------------------------------------------------------

    def start(self) -> None:
        self._run_dir.mkdir(parents=True, exist_ok=True)
        self._thread = threading.Thread(target=self._loop, name="supervisor", daemon=True)
        self._thread.start()

    def stop(self, deadline: float) -> bool:
        self._stopping.set()
        finished = join(self._thread, deadline)
        self._checks.shutdown(wait=False, cancel_futures=True)
        return finished

    def health(self) -> WorkerHealth:
        states = [status.state for status in self._statuses.values()]
        return WorkerHealth(
            self.name,
            running=is_running(self._thread),
            error=self.error,
            details={state.value: states.count(state) for state in set(states)},
        )

    def statuses(self) -> dict[str, PluginStatus]:
        return self._statuses

    def status(self, key: str) -> PluginStatus | None:
        return self._statuses.get(key)

    def call(self, work: Callable[[], Any]) -> Future[Any]:
        future: Future[Any] = Future()
        if not is_running(self._thread):
            future.set_exception(OperatorError("the plugin supervisor is not running"))
        else:
            self._calls.put((work, future))
        return future

    def set_manifests(self, manifests: Sequence[Manifest]) -> Future[None]:
        """From discovery: the supervised plugins as their folders now say."""
        return self.call(lambda: self._take(manifests))

    def control(self, action: str, key: str) -> Future[PluginStatus]:
        """start, stop, restart, enable or disable one plugin; the Future gives its
        status after, or an OperatorError saying why not (409 in the API)."""
        return self.call(lambda: self._act(action, key))

    def stop_all(self) -> Future[list[PluginStatus]]:
        return self.call(self._stop_all)

    # -- the supervisor's thread -----------------------------------------------------

    def _loop(self) -> None:
        self._note_pid_files()
        while not self._stopping.is_set():
            try:
                work, future = self._calls.get(timeout=TICK_SECONDS)
            except queue.Empty:
                pass
            else:
                _complete(future, work)
            try:
                self._tick()
                self.error = None
            except Exception as error:
                self.error = f"supervision failed: {error}"
                log.exception("supervision failed")
        self._finish()

    def _finish(self) -> None:
        while not self._calls.empty():
            _work, future = self._calls.get_nowait()
            future.set_exception(OperatorError("the monitor is stopping"))
        running = [p for p in self._plugins.values() if p.child is not None]
        if self._settings().keep_running:
            log.info("left %d plugin(s) running for the next start to adopt", len(running))
            return
        stop_children([p.child for p in running if p.child], seconds_left(time.monotonic() + 5))
        for plugin in running:
            self._ended(plugin, deliberate=True)

    def _take(self, manifests: Sequence[Manifest]) -> None:
        wanted = {m.key: m for m in manifests if m.supervision is not None}
        for key in list(self._plugins):
            if key not in wanted:
                plugin = self._plugins.pop(key)
                self._stop_one(plugin)
                self._statuses = {k: v for k, v in self._statuses.items() if k != key}
                log.info("plugin %s is gone (its folder was removed); stopped", key)
        for key, manifest in wanted.items():
            known = self._plugins.get(key)
            if known is not None and known.manifest == manifest:
                continue
            assert manifest.supervision is not None
            plugin = SupervisedPlugin(manifest, RestartBudget(manifest.supervision.run))
            if known is not None:  # the manifest changed: the new one applies from a restart
                plugin.child, plugin.restarts = known.child, known.restarts
                plugin.state = known.state
            self._plugins[key] = plugin
            plugin.enabled = self._is_enabled(key)
            if plugin.child is None and plugin.enabled and manifest.supervision.run.autostart:
                self._launch(plugin)
            self._publish(plugin)

    def _note_pid_files(self) -> None:
        """Pid files a previous monitor left (with keep_running, or when it was
        killed): their plugins are adopted when discovery hands over their
        manifest, if the process is still the one that was started, instead of
        being started a second time."""
        self._adoptable = {path.stem for path in self._run_dir.glob("*.pid")}

    def _files(self, key: str) -> ChildFiles:
        return ChildFiles(log=self._logs_dir / f"{key}.log", pid=self._run_dir / f"{key}.pid")

    def _launch(self, plugin: SupervisedPlugin) -> None:
        supervision = plugin.manifest.supervision
        assert supervision is not None
        files = self._files(plugin.key)
        if plugin.key in self._adoptable:
            self._adoptable.discard(plugin.key)
            adopted = PluginChild.adopt(files)
            if adopted is not None:
                plugin.child, plugin.state = adopted, PluginState.RUNNING
                plugin.detail = f"adopted (pid {adopted.pid}) from the previous run"
                log.info("adopted plugin %s (pid %d)", plugin.key, adopted.pid)
                return
        plugin.restart_at = None
        try:
            plugin.child = PluginChild.start(plugin.manifest.folder, supervision, files)
        except OSError as error:
            plugin.detail = start_failure(plugin.manifest.folder / supervision.run.cwd, error)
            log.error("plugin %s: %s", plugin.key, plugin.detail)
            self._crashed(plugin, None)
            return
        plugin.state = PluginState.STARTING if supervision.health else PluginState.RUNNING
        plugin.detail = ""
        plugin.next_check = time.monotonic() + FIRST_CHECK_SECONDS
        log.info("started plugin %s (pid %d)", plugin.key, plugin.child.pid)

    def _tick(self) -> None:
        now = time.monotonic()
        for plugin in list(self._plugins.values()):
            child = plugin.child
            if child is not None and child.ended():
                self._ended(plugin, deliberate=False)
            elif plugin.restart_at is not None and now >= plugin.restart_at:
                plugin.restarts += 1
                self._launch(plugin)
                self._publish(plugin)
            elif child is not None:
                self._watch(plugin, child, now)
        if now >= self._next_rotate:
            self._next_rotate = now + ROTATE_CHECK_SECONDS
            for plugin in self._plugins.values():
                if plugin.child is not None:
                    copytruncate(plugin.child.files.log)

    def _watch(self, plugin: SupervisedPlugin, child: PluginChild, now: float) -> None:
        supervision = plugin.manifest.supervision
        assert supervision is not None
        uptime = time.time() - child.started_at
        if (plugin.exits or plugin.crash_loop) and uptime >= self._settings().healthy_after_seconds:
            plugin.exits, plugin.crash_loop = 0, False
            plugin.budget.reset()
            log.info("plugin %s has run well for %.0f s again", plugin.key, uptime)
            self._publish(plugin)
        if supervision.limits is not None:
            over = self._limits.check(plugin.key, child, supervision.limits, self._emit_with)
            if over and supervision.limits.action.value == "restart":
                log.warning("plugin %s: restarting: %s", plugin.key, over)
                self._restart(plugin)
                plugin.detail = f"restarted: {over}"
                self._publish(plugin)
                return
        if supervision.health and not plugin.checking and now >= plugin.next_check:
            plugin.checking = True
            plugin.next_check = now + supervision.health.interval_seconds
            health = supervision.health
            done = self._checks.submit(run_check, plugin.key, health, plugin.manifest.folder)
            done.add_done_callback(partial(self._on_checked, plugin))

    def _on_checked(self, plugin: SupervisedPlugin, result: Future[Sample]) -> None:
        """On a health-check thread: hand the result to the supervisor's thread."""
        self.call(partial(self._checked, plugin, result))

    def _checked(self, plugin: SupervisedPlugin, result: Future[Sample]) -> None:
        plugin.checking = False
        sample = result.result()
        self._emit_with(sample)
        if plugin.state is PluginState.STARTING and not sample.is_failure:
            plugin.state = PluginState.RUNNING
            self._publish(plugin)

    def _ended(self, plugin: SupervisedPlugin, *, deliberate: bool) -> None:
        child = plugin.child
        assert child is not None
        plugin.child = None
        code = child.returncode
        self._limits.forget(plugin.key)
        if deliberate:
            plugin.exit_code, plugin.state = code, PluginState.STOPPED
            self._publish(plugin)
            return
        child.forget_pid_file()
        self._crashed(plugin, code)

    def _crashed(self, plugin: SupervisedPlugin, code: int | None) -> None:
        plugin.crashed(code, time.monotonic())
        log.warning("plugin %s %s", plugin.key, plugin.detail)
        self._publish(plugin)

    def _act(self, action: str, key: str) -> PluginStatus:
        plugin = self._plugins.get(key)
        if plugin is None:
            raise UnknownPluginError(key)
        if action in ("disable", "enable"):
            plugin.enabled = action == "enable"
            if not plugin.enabled:
                self._stop_one(plugin)
                plugin.state = PluginState.DISABLED
            elif plugin.state is PluginState.DISABLED:
                plugin.state = PluginState.STOPPED
                if plugin.manifest.supervision and plugin.manifest.supervision.run.autostart:
                    self._launch(plugin)
        elif not plugin.enabled:
            raise PluginStateError(f"plugin {key} is disabled; enable it first")
        elif action == "stop":
            self._stop_one(plugin)
        elif action == "restart" or plugin.child is None:
            plugin.budget.reset()
            self._restart(plugin, by_hand=True)
        self._publish(plugin)
        return self._statuses[key]

    def _restart(self, plugin: SupervisedPlugin, *, by_hand: bool = False) -> None:
        was_running = plugin.child is not None
        self._stop_one(plugin)
        if by_hand and plugin.crash_loop:
            plugin.detail = ""
        if was_running or not by_hand:
            plugin.restarts += 1
        if not by_hand and not plugin.budget.spend(time.monotonic()):
            self._crashed(plugin, plugin.exit_code)
            return
        self._launch(plugin)

    def _stop_one(self, plugin: SupervisedPlugin) -> None:
        plugin.restart_at = None
        if plugin.child is not None:
            supervision = plugin.manifest.supervision
            assert supervision is not None
            stop_children([plugin.child], supervision.run.stop_timeout_seconds)
            self._ended(plugin, deliberate=True)
        elif plugin.state in (PluginState.CRASHED, PluginState.CRASH_LOOP, PluginState.STARTING):
            plugin.state = PluginState.STOPPED

    def _stop_all(self) -> list[PluginStatus]:
        running = [p for p in self._plugins.values() if p.child is not None or p.restart_at]
        timeout = max((p.budget.spec.stop_timeout_seconds for p in running), default=0.0)
        stop_children([p.child for p in running if p.child], min(timeout, 4.0))
        for plugin in running:
            plugin.restart_at = None
            if plugin.child is not None:
                self._ended(plugin, deliberate=True)
            plugin.state = PluginState.STOPPED
            self._publish(plugin)
        log.info("stopped all %d running plugin(s)", len(running))
        return [self._statuses[p.key] for p in running]

    def _publish(self, plugin: SupervisedPlugin) -> None:
        """The plugin's status for every reader, and a sample carrying it."""
        self._statuses = {**self._statuses, plugin.key: plugin.status()}
        self._emit_with(Sample(plugin_key=plugin.key, ts=time.time()))

    def _emit_with(self, sample: Sample) -> None:
        """A sample of a supervised plugin, with its supervision figures added."""
        status = self._statuses.get(sample.plugin_key)
        if status is not None:
            sample.extras.update(status.extras(sample.ts))
        self._emit([sample])


def _complete(future: Future[Any], work: Callable[[], Any]) -> None:
    try:
        future.set_result(work())
    except Exception as error:
        future.set_exception(error)
