"""The operator guide's command: `python scripts/auto_backup.py`, for cron.

One online backup of the data folder (the default one, $PLUGIN_MONITOR_DATA_DIR
or --data-dir DIR), pruned by the keep policy; the same as `plugin-monitor
backup --quiet`. Silent when it succeeds; one line on stderr and a non-zero
exit status when it does not, so cron mails the operator only then.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app.cli import main

raise SystemExit(main(["backup", "--quiet", *sys.argv[1:]]))
