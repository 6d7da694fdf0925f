"""Every page is usable at 1024x700, in English and Korean, and at 2x scaling:
the window fits, and no button or field is cut off or squeezed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.views.probes import run_probe

PROBE = Path(__file__).with_name("layout_probe.py")


@pytest.mark.parametrize(("language", "scale"), [("en", "1"), ("ko", "1"), ("en", "2")])
def test_every_page_is_usable_at_1024_by_700(language: str, scale: str, data_dir: Path) -> None:
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(
        f'[api]\nenabled = false\n[console]\nlanguage = "{language}"\n'
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=scale)
    outcome = run_probe(PROBE, data_dir, env)
    assert outcome["size"] == [1024, 700], "the window's minimum size does not fit"
    assert outcome["ratio"] == float(scale)
    assert outcome["problems"] == {name: [] for name in outcome["problems"]}
    assert len(outcome["problems"]) == 7  # every page, the Audit page included
