"""The operator guide's command: `python scripts/generate_api_key.py`.

Creates an API key and prints it once, exactly like `plugin-monitor keys
create` (same options: --role admin|operator|viewer, --name, --data-dir).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app.cli import main

raise SystemExit(main(["keys", "create", *sys.argv[1:]]))
