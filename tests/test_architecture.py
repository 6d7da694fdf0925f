"""The core stays Qt-free: models/ and services/ never import Qt (napari's rule)."""

from __future__ import annotations

import ast
from pathlib import Path

import desktop_app

PACKAGE = Path(desktop_app.__file__).parent
FORBIDDEN = {"PySide6", "shiboken6", "pyqtgraph"}
CORE = ("models", "services")
QT_FREE_TOP_LEVEL = ("cli.py", "config.py", "errors.py", "headless.py", "logs.py", "paths.py")


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_core_never_imports_qt() -> None:
    files = [p for folder in CORE for p in (PACKAGE / folder).rglob("*.py")]
    files += [PACKAGE / name for name in QT_FREE_TOP_LEVEL]
    assert len(files) > 20
    offenders = {str(p.relative_to(PACKAGE)): imported_roots(p) & FORBIDDEN for p in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_core_never_imports_the_views() -> None:
    files = [p for folder in CORE for p in (PACKAGE / folder).rglob("*.py")]
    for path in files:
        source = path.read_text(encoding="utf-8")
        assert "desktop_app.views" not in source, path
