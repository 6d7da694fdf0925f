"""Make docs/api.md's endpoint reference anew from the API's OpenAPI schema.

python scripts/api_reference.py           # rewrite the section
python scripts/api_reference.py --check   # exit 1 when it is not current
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "api.md"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from desktop_app.services.api.app import schema_app
    from desktop_app.services.api.reference import with_reference

    current = DOC.read_text(encoding="utf-8")
    wanted = with_reference(current, schema_app().openapi())
    if "--check" in argv:
        if wanted != current:
            print(
                "docs/api.md: the endpoint reference is not current (a route, parameter, role "
                "or answer changed); run: python scripts/api_reference.py",
                file=sys.stderr,
            )
            return 1
        return 0
    DOC.write_text(wanted, encoding="utf-8")
    print(f"{DOC.relative_to(ROOT)}: endpoint reference written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
