"""The core stays Qt-free: models/ and services/ never import Qt (napari's rule)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import desktop_app

PACKAGE = Path(desktop_app.__file__).parent
FORBIDDEN = {"PySide6", "shiboken6", "pyqtgraph"}
CORE = ("models", "services", "config")
QT_FREE_TOP_LEVEL = ("errors.py", "logs.py", "paths.py")


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_core_never_imports_qt() -> None:
    files = [p for folder in (*CORE, "cli") for p in (PACKAGE / folder).rglob("*.py")]
    files += [PACKAGE / name for name in QT_FREE_TOP_LEVEL]
    assert len(files) > 20
    offenders = {str(p.relative_to(PACKAGE)): imported_roots(p) & FORBIDDEN for p in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_core_never_imports_the_views() -> None:
    files = [p for folder in CORE for p in (PACKAGE / folder).rglob("*.py")]
    for path in files:
        source = path.read_text(encoding="utf-8")
        assert "desktop_app.views" not in source, path


# SQL belongs to storage (and the table definitions in models): what a face or
# an analysis needs from the database, a storage repository hands it.
SQL_HOMES = ("services/storage", "models")
SQL_BUILDERS = {"select", "insert", "update", "delete", "text", "bindparam", "func", "case"}
SQL_WORDS = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
    r"CREATE\s+(TABLE|VIEW|INDEX)|PRAGMA\s+\w+)",
    re.DOTALL,
)


def sql_outside_storage(path: Path) -> list[str]:
    """What in this file builds or runs SQL: builders from SQLAlchemy, driver
    calls, the raw tables and drivers, and SQL in string literals."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("sqlalchemy")
        ):
            found += [f"imports {a.name}" for a in node.names if a.name in SQL_BUILDERS]
        elif isinstance(node, ast.ImportFrom) and node.module == "desktop_app.models":
            found += [f"imports {a.name}" for a in node.names if a.name == "tables"]
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            )
            found += [
                f"imports {m}" for m in modules if m in {"sqlite3", "desktop_app.models.tables"}
            ]
        elif isinstance(node, ast.Attribute) and node.attr in {
            "exec_driver_sql",
            "driver_connection",
        }:
            found.append(f"calls {node.attr}")
        elif isinstance(node, ast.Constant) and SQL_WORDS.search(str(node.value)) is not None:
            found.append(f"SQL text {node.value!r:.40}")
    return found


def test_sql_lives_only_in_storage() -> None:
    files = [
        path
        for path in PACKAGE.rglob("*.py")
        if not any(path.relative_to(PACKAGE).as_posix().startswith(home) for home in SQL_HOMES)
    ]
    assert len(files) > 60
    offenders = {str(p.relative_to(PACKAGE)): sql_outside_storage(p) for p in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_sql_check_sees_each_kind_of_sql(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import sqlite3\n"
        "from sqlalchemy import select, Engine\n"
        "from desktop_app.models import tables\n"
        "def f(conn):\n"
        "    conn.exec_driver_sql('x')\n"
        "    return 'SELECT ts FROM samples WHERE plugin_id = ?'\n",
        encoding="utf-8",
    )
    assert len(sql_outside_storage(sample)) == 5
    sample.write_text("x = {}\nx.update(a=1)\nlabel = 'Select a plugin from the list'\n")
    assert sql_outside_storage(sample) == []
