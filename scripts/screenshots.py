"""Screenshots of every page of the real console, in light and dark, English
and Korean, with demo data: `python scripts/screenshots.py [OUT_DIR]`.

Runs offscreen (QT_QPA_PLATFORM=offscreen) unless a display is set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.config import SettingsFile
from desktop_app.models.auth import KeyScope, Role
from desktop_app.models.levels import AlertLevel
from desktop_app.models.plugins import PluginSource
from desktop_app.models.samples import Sample
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.views.app import build_window

PAGES = ["dashboard", "plugins", "analytics", "alerts", "settings", "keys", "audit"]


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def demo_data(monitor: object) -> None:
    registry = monitor.registry  # type: ignore[attr-defined]
    now = time.time()
    plugins = [
        ("billing", "Billing service"),
        ("search", "Search index"),
        ("mailer", "Mail sender"),
        ("reports", "Report builder"),
        ("auth", "Sign-in"),
    ]
    for key, name in plugins:
        registry.register(key, name, PluginSource.API)
    # One plugin a forwarding agent on web01 sends (the Plugins page's Host column).
    registry.register("web01.billing", "billing on web01", PluginSource.API, host="web01")
    samples = []
    for i in range(900, 0, -5):
        ts = now - i
        samples.append(
            Sample(
                "system",
                ts,
                cpu_percent=30 + 20 * ((i // 60) % 3),
                memory_percent=55 + (i % 120) / 12,
            )
        )
        for n, (key, _name) in enumerate(plugins):
            if key == "reports":  # has a week of its own below
                continue
            samples.append(
                Sample(
                    key,
                    ts,
                    cpu_percent=10 + n * 12 + (i % 50) / 5,
                    memory_percent=30 + n * 9,
                    response_time=0.2 + n * 0.4,
                    error_count=n,
                    request_count=200,
                )
            )
    keys = ApiKeyStore(monitor.database)  # type: ignore[attr-defined]
    web = KeyScope.lasting(30, now=now, ingest_only=True, plugins="web*")
    keys.create(name="web farm pushers", role=Role.OPERATOR, scope=web)
    keys.create(name="Grafana dashboard", role=Role.VIEWER)
    monitor.ingest(samples).result(30)  # type: ignore[attr-defined]
    monitor.ingest(week_of_reports(now)).result(30)  # type: ignore[attr-defined]
    monitor.ingest(
        [  # type: ignore[attr-defined]
            Sample(
                "billing",
                now,
                cpu_percent=97.0,
                memory_percent=70,
                response_time=0.4,
                error_count=1,
                request_count=300,
            ),
            Sample(
                "search",
                now,
                cpu_percent=40.0,
                memory_percent=88,
                response_time=6.5,
                error_count=2,
                request_count=200,
            ),
            Sample(
                "mailer",
                now,
                cpu_percent=20.0,
                memory_percent=40,
                response_time=0.3,
                error_count=40,
                request_count=200,
            ),
        ]
    ).result(30)
    monitor.engine.flush().result(30)  # type: ignore[attr-defined]


class _Receiver(BaseHTTPRequestHandler):
    """A webhook receiver on loopback that takes everything."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        return


def trust_scenario(monitor: object) -> None:
    """What makes signals true: a recovery, a silenced alert, a flapping one,
    a plugin gone silent, and a webhook that receives them."""
    now = time.time()
    m: Any = monitor
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    m.webhooks.add(
        url=f"http://127.0.0.1:{receiver.server_address[1]}/hooks/T0B0/secret",
        min_level=AlertLevel.WARNING,
        headers={"Authorization": "Bearer token"},
        sign=True,
        actor="screenshots",
    )
    m.webhook_delivery.refresh_now()
    m.silences.add(
        plugin_key="reports",
        rule=None,
        level=AlertLevel.WARNING,
        starts_at=None,
        ends_at=now + 3600,
        comment="reindexing tonight",
        actor="screenshots",
    )
    m.registry.register("legacy", "Legacy importer", PluginSource.API)
    m.ingest([Sample("legacy", now - 5, cpu_percent=12.0, memory_percent=30)]).result(30)
    m.thresholds.plugin("legacy").stale_after_seconds = 1
    for n, cpu in enumerate([99.0, 10.0] * 4 + [99.0]):
        m.ingest([Sample("auth", now + n * 0.01, cpu_percent=cpu)]).result(30)
        m.engine.flush().result(30)
    m.ingest([Sample("reports", now, memory_percent=90.0)]).result(30)
    m.ingest([Sample("mailer", now, cpu_percent=20.0, error_count=0, request_count=200)]).result(30)
    m.engine.flush().result(30)


def week_of_reports(until: float) -> list[Sample]:
    """A week of the report builder: busy weekday afternoons, memory creeping up."""
    samples = []
    start = until - 7 * 86_400
    for ts in range(int(start), int(until), 600):
        local = time.localtime(ts)
        busy = local.tm_wday < 5 and 13 <= local.tm_hour <= 17
        rising = (ts - start) / 86_400
        samples.append(
            Sample(
                "reports",
                float(ts),
                cpu_percent=15 + (45 if busy else 0) + (ts // 600 % 7),
                memory_percent=50 + 4.5 * rising + (ts // 600 % 5) / 2,
                response_time=0.3 + (0.4 if busy else 0),
                request_count=40 + (260 if busy else 0) + ts // 600 % 11,
                error_count=ts // 600 % 3,
            )
        )
    return samples


LARGE, SMALL = (1600, 1000), (1024, 700)


def stage(window: Any, page: str) -> None:
    """What each page shows in its picture: a plugin's history with the
    crosshair, an alert's detail pane, the report builder's week compared."""
    if page == "plugins":
        window.plugins.table.selectRow(1)
    if page == "alerts":
        window.alerts.table.selectRow(0)
    if page == "analytics":
        for toast in list(window.toasts.toasts):
            window.toasts.dismiss(toast)
        if window.analytics.plugin.currentText() != "reports":
            window.analytics.plugin.setCurrentText("reports")
            window.analytics.window_choice.setCurrentIndex(4)  # 7 days
            window.analytics.load()
            wait(1500)
            window.analytics.choose_metric("memory_usage")
            window.analytics.compare(["billing", "search"])
    wait(900)


EXAMPLES = Path(__file__).resolve().parents[1] / "resources" / "example-plugins"


def supervised_examples(data_dir: Path) -> None:
    """Two example plugins run by the monitor: a web service that stays up, and
    a crasher that fails every second until it is in a crash loop."""
    for name in ("web-service", "crasher"):
        shutil.copytree(EXAMPLES / name, data_dir / "plugins" / name)
    manifest = data_dir / "plugins" / "crasher" / "plugin.toml"
    manifest.write_text(manifest.read_text().replace("seconds = 5", "seconds = 1"))


def restore_dialog(window: Any, monitor: Any, path: Path) -> None:
    """File → Restore from backup…, with a backup chosen (the keep policy
    keeps one an hour, so a second one now would replace it)."""
    from desktop_app.views.restore_dialog import RestoreDialog

    monitor.backups.back_up_now(actor="screenshots").result(60)
    dialog = RestoreDialog(monitor, window)
    dialog.show()
    wait(800)
    dialog.table.selectRow(0)
    wait(200)
    dialog.grab().save(str(path))
    dialog.close()


def shoot(out: Path, theme: str, language: str) -> None:
    data_dir = Path(tempfile.mkdtemp())
    (data_dir / "config").mkdir(parents=True)
    supervised_examples(data_dir)
    settings = SettingsFile(data_dir / "config" / "settings.toml")
    settings.ensure_exists()
    settings.apply(
        [
            (("console", "theme"), theme),
            (("console", "language"), language),
            (("api", "port"), 0),
            (("api", "ws_port"), 0),
        ]
    )
    app = QApplication.instance() or QApplication([])
    window, bridge, state = build_window(app, data_dir)  # type: ignore[arg-type]
    window.resize(*LARGE)
    window.show()
    deadline = time.time() + 30
    while "monitor" not in state and time.time() < deadline:
        wait(50)
    monitor = state["monitor"]
    wait(3000)  # seconds after launch: the live host view, the first-plugin hint
    window.grab().save(str(out / f"launch-dashboard-{theme}-{language}.png"))
    demo_data(monitor)
    window.refresh_plugins()
    wait(800)
    for size, prefix in ((LARGE, ""), (SMALL, "small-")):
        window.resize(*size)
        for index, page in enumerate(PAGES):
            window.nav.setCurrentRow(index)
            stage(window, page)
            window.refresh()
            wait(200)
            if page == "plugins":
                chart = window.plugins.detail_charts["cpu_percent"]
                chart.crosshair.show_at(time.time() - 300)
                wait(100)
            window.grab().save(str(out / f"{prefix}{page}-{theme}-{language}.png"))
    restore_dialog(window, monitor, out / f"restore-dialog-{theme}-{language}.png")
    for toast in list(window.toasts.toasts):
        window.toasts.dismiss(toast)
    trust_scenario(monitor)
    wait(2500)  # the silent plugin's no-data warning comes within a second or two
    for page in ("dashboard", "alerts", "settings"):
        if page == "settings":
            for toast in list(window.toasts.toasts):
                window.toasts.dismiss(toast)
        window.nav.setCurrentRow(PAGES.index(page))
        window.refresh()
        wait(600)
        window.grab().save(str(out / f"trust-{page}-{theme}-{language}.png"))
    bridge.disconnect_monitor()
    monitor.stop()
    window.quitting = True
    window.close()


def main() -> None:
    """Each theme and language in a process of its own (one QApplication each)."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    if "SHOT_THEME" in os.environ:
        shoot(out, os.environ["SHOT_THEME"], os.environ["SHOT_LANGUAGE"])
        return
    for theme in ("light", "dark"):
        for language in ("en", "ko"):
            env = {**os.environ, "SHOT_THEME": theme, "SHOT_LANGUAGE": language}
            subprocess.run(
                [sys.executable, __file__, str(out)], env=env, check=True, stderr=subprocess.DEVNULL
            )
            print(f"{theme}/{language}: {len(PAGES)} pages at two sizes in {out}")


if __name__ == "__main__":
    main()
