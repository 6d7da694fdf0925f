"""docs/api.md's endpoint reference, made from the OpenAPI schema.

The hand-written parts of docs/api.md explain; this part lists, and is
never written by hand: `scripts/api_reference.py` rewrites it between its
two markers, and a test fails when a route, parameter, role or answer has
changed without it.
"""

from __future__ import annotations

from typing import Any

BEGIN = "<!-- endpoint reference: made by scripts/api_reference.py from /openapi.json -->"
END = "<!-- end of the endpoint reference -->"
METHODS = ("get", "post", "put", "delete", "patch")
HEADER = (
    "## Endpoint reference\n\n"
    "Every route as the OpenAPI schema (`/openapi.json`, browsable at `/docs`) gives it: the\n"
    "lowest role that may call it (higher roles may too; — : no key, or any key), its\n"
    "parameters, its body and every status it answers. Made by\n"
    "`python scripts/api_reference.py`; a test fails when it is not current.\n\n"
    "| method and path | role | what | parameters | body | answers |\n"
    "| --- | --- | --- | --- | --- | --- |\n"
)


def reference(schema: dict[str, Any]) -> str:
    """The section, markers included."""
    rows = [
        _row(method, path, operation)
        for path, item in sorted(schema["paths"].items())
        for method, operation in item.items()
        if method in METHODS
    ]
    return f"{BEGIN}\n{HEADER}{''.join(rows)}{END}\n"


def _row(method: str, path: str, operation: dict[str, Any]) -> str:
    parameters = ", ".join(
        f"`{p['name']}`" + ("" if p.get("required") else "?")
        for p in operation.get("parameters", [])
        if p.get("in") in ("query", "path")
    )
    cells = (
        f"`{method.upper()} {path}`",
        operation.get("x-role", "—"),
        _cell(operation.get("summary", "")),
        parameters or "—",
        _body(operation),
        ", ".join(sorted(operation.get("responses", {}))),
    )
    return "| " + " | ".join(cells) + " |\n"


def _body(operation: dict[str, Any]) -> str:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    reference_ = schema.get("$ref") or next(
        (part.get("$ref") for part in schema.get("anyOf", []) if "$ref" in part), None
    )
    if reference_:
        return f"`{reference_.rsplit('/', 1)[-1]}`"
    return "JSON" if content else "—"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def with_reference(document: str, schema: dict[str, Any]) -> str:
    """`document` with its reference section made anew (added at the end
    the first time)."""
    section = reference(schema)
    if BEGIN not in document:
        return document.rstrip("\n") + "\n\n" + section
    before, rest = document.split(BEGIN, 1)
    after = rest.split(END, 1)[1].lstrip("\n")
    return before + section + (f"\n{after}" if after else "")
