"""With a real system tray (Xvfb + trayer): critical alerts become tray
messages, also while the window is hidden, recoveries only when asked for,
and closing hides to the tray."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import require_tools
from tests.views.probes import run_probe

PROBE = Path(__file__).with_name("tray_probe.py")


def test_tray_messages_and_hide_to_tray(data_dir: Path) -> None:
    require_tools("xvfb-run", "trayer")
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(
        '[api]\nenabled = false\n[console]\ntray_level = "critical"\nlanguage = "en"\n'
    )
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    outcome = run_probe(PROBE, data_dir, env, ("xvfb-run", "-a", "-s", "-screen 0 1280x800x24"))
    assert outcome["tray"] is True
    assert outcome["sent"] == [
        "CRITICAL: app",
        "CRITICAL: app",  # shown and hidden alike
        "Resolved: app",  # the first recovery only once tray_recoveries is on
    ]
    assert outcome["visible_after_close"] is False and outcome["quitting"] is False
    # The badge: critical while the alert is open, drawn once; none once all resolved.
    assert outcome["badges"] == ["critical", True, "none"]
    opened = outcome["opened"]
    assert opened["visible"] and opened["page"], "a click on a tray message opens its alert"
    assert opened["selected"] == [opened["last"]]
