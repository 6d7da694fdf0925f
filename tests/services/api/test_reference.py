"""docs/api.md's endpoint reference is the OpenAPI schema's, kept current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from desktop_app.services.api.app import schema_app
from desktop_app.services.api.reference import BEGIN, END, with_reference

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "api.md"


def test_the_reference_in_docs_api_md_is_current() -> None:
    checked = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "api_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_a_route_added_without_regenerating_makes_it_stale() -> None:
    document = DOC.read_text(encoding="utf-8")
    app = schema_app()

    @app.get("/api/advanced-monitoring/forecasts", summary="A route nobody documented")
    def forecasts() -> dict[str, str]:
        return {}

    remade = with_reference(document, app.openapi())
    assert remade != document
    assert "`GET /api/advanced-monitoring/forecasts` | — | A route nobody documented" in remade


def test_the_hand_written_parts_are_kept_and_every_route_says_its_role() -> None:
    document = DOC.read_text(encoding="utf-8")
    before, section = document.split(BEGIN)
    assert "## Alert stream" in before, "the WebSocket protocol's prose is untouched"
    rows = [line for line in section.split(END)[0].splitlines() if line.startswith("| `")]
    assert len(rows) >= 39
    assert all(
        f"| {role} |" in row for row in rows if "/api/system/settings" in row for role in ["admin"]
    )
    unkeyed = [row.split("`")[1] for row in rows if "| — |" in row.split("`", 2)[2][:6]]
    assert unkeyed == ["GET /api/status", "GET /api/system/health"]
