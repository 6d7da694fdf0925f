"""Keep the console's translations in step with its code.

    python scripts/update_translations.py

Collects every `tr("…")` string of desktop_app/views (each module's `tr`
names its context) plus the words the views translate from the core (levels,
statuses, threshold labels), merges them into
resources/translations/plugin_monitor_ko.ts (new strings are marked
unfinished; translations are kept), and compiles the .qm with lrelease.
`--check` only reports what is missing or stale (exit 1), for the tests.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.config import THRESHOLD_DOCS  # noqa: E402
from desktop_app.models.alerts import AlertEventKind, AlertStatus  # noqa: E402
from desktop_app.models.auth import Role  # noqa: E402
from desktop_app.models.levels import AlertLevel  # noqa: E402
from desktop_app.models.metrics import CATALOGUE, Display  # noqa: E402
from desktop_app.views.analytics_charts import DAYS  # noqa: E402
from desktop_app.views.analytics_page import METRIC_LABELS, TREND_WORDS  # noqa: E402

VIEWS = ROOT / "desktop_app" / "views"
TS = ROOT / "resources" / "translations" / "plugin_monitor_ko.ts"
QM = TS.with_suffix(".qm")

LEVELS = [level.label for level in AlertLevel]
EXTRA = {
    "Alerts": LEVELS + [status.value for status in AlertStatus],
    "Dashboard": [*LEVELS, "ok"],
    "Plugins": [*LEVELS, "ok"],
    "Toasts": [*LEVELS, *(kind.value for kind in AlertEventKind)],
    "Tray": LEVELS,
    "AlertCounts": LEVELS,
    "Settings": [*LEVELS, *(doc[0].upper() + doc[1:] for _rule, doc in THRESHOLD_DOCS.values())],
    "Keys": [role.label for role in Role],
    # Words the analytics page translates at run time.
    "Analytics": [
        *TREND_WORDS,
        *DAYS,
        *METRIC_LABELS.values(),
        *(metric.unit for metric in CATALOGUE if metric.display is Display.RATE),  # unit words
    ],
}


def context_of(tree: ast.Module) -> str | None:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "tr":
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                ):
                    return str(call.args[0].value)
    return None


def collect() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(VIEWS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        context = context_of(tree)
        if context is None:
            continue
        strings = found.setdefault(context, [])
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            is_tr = isinstance(node.func, ast.Name) and node.func.id == "tr"
            if is_tr and isinstance(first, ast.Constant) and isinstance(first.value, str):
                strings.append(first.value)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in ("COLUMNS", "WINDOWS") for t in node.targets
            ):
                for const in ast.walk(node.value):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str):
                        strings.append(const.value)
    for context, words in EXTRA.items():
        found.setdefault(context, []).extend(words)
    return {c: list(dict.fromkeys(s)) for c, s in found.items()}


# Metric labels are translated in the catalogue itself, next to the metric.
CATALOGUE_LABELS = {("Analytics", metric.label): metric.label_ko for metric in CATALOGUE}


def read_ts() -> dict[tuple[str, str], str]:
    if not TS.exists():
        return dict(CATALOGUE_LABELS)
    known = dict(CATALOGUE_LABELS)
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            key = (name, message.findtext("source") or "")
            if translation is not None and translation.get("type") != "unfinished":
                known.setdefault(key, translation.text or "")
    return known


def build_ts(strings: dict[str, list[str]], known: dict[tuple[str, str], str]) -> str:
    root = ET.Element("TS", version="2.1", language="ko_KR")
    for context in sorted(strings):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = context
        for source in strings[context]:
            message = ET.SubElement(ctx, "message")
            ET.SubElement(message, "source").text = source
            translation = ET.SubElement(message, "translation")
            if (context, source) in known:
                translation.text = known[(context, source)]
            else:
                translation.set("type", "unfinished")
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        + ET.tostring(root, encoding="unicode")
        + "\n"
    )


def lrelease(ts: Path, qm: Path) -> None:
    tool = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) or shutil.which(
        "pyside6-lrelease"
    )
    if tool is None:
        raise SystemExit("pyside6-lrelease not found; install PySide6")
    subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True)


def main() -> int:
    strings = collect()
    text = build_ts(strings, read_ts())
    missing = [
        f"{c}: {s}" for c, items in strings.items() for s in items if (c, s) not in read_ts()
    ]
    if "--check" in sys.argv:
        stale = not TS.exists() or TS.read_text(encoding="utf-8") != text
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "check.qm"
            if TS.exists():
                lrelease(TS, fresh)
            qm_stale = (
                not QM.exists() or not fresh.exists() or fresh.read_bytes() != QM.read_bytes()
            )
        for line in missing:
            print(f"untranslated: {line}")
        if stale:
            print(f"{TS} is not up to date: run python scripts/update_translations.py")
        if qm_stale:
            print(f"{QM} is not compiled from the .ts: run python scripts/update_translations.py")
        return 1 if missing or stale or qm_stale else 0
    TS.parent.mkdir(parents=True, exist_ok=True)
    TS.write_text(text, encoding="utf-8")
    lrelease(TS, QM)
    print(f"{TS}: {sum(map(len, strings.values()))} strings, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
