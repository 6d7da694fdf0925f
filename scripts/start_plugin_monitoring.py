"""The operator guide's command: `python scripts/start_plugin_monitoring.py`.

Starts monitoring in the foreground, exactly like `plugin-monitor serve`
(it takes the same options); run it under `nohup … &` for the background.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app.cli import main

raise SystemExit(main(["serve", *sys.argv[1:]]))
