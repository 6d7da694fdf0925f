"""Example plugin: pushes made-up request metrics to Plugin Monitor every few
seconds through `desktop_app.client` (batched in the background by a Pusher),
with the key from $PLUGIN_CONFIG_DIR/token, or else, on the monitor's own
machine, the local credential."""

import os
import random
import time
from pathlib import Path

from desktop_app.client import Monitor, Pusher

API = os.environ.get("PLUGIN_API_URL", "http://127.0.0.1:5000")
PLUGIN_ID = "metrics-pusher"
token_file = Path(os.environ.get("PLUGIN_CONFIG_DIR", "config")) / "token"
token = token_file.read_text().strip() if token_file.exists() else None
interval = float(os.environ.get("PLUGIN_INTERVAL", "5"))

with Monitor(API, token) as monitor, Pusher(monitor, flush_seconds=interval) as pusher:
    while True:
        pusher.push(
            PLUGIN_ID,
            cpu_usage=random.uniform(5, 40),
            memory_usage=random.uniform(20, 50),
            response_time=random.uniform(0.05, 0.4),
            request_count=random.randint(50, 100),
            error_count=random.randint(0, 2),
        )
        print("queued; sent so far:", pusher.stats.sent, flush=True)
        time.sleep(interval)
