"""Example plugin: keeps PLUGIN_MIB_PER_SECOND more MiB every second, forever."""

import os
import time

step = int(float(os.environ.get("PLUGIN_MIB_PER_SECOND", "10")) * 1024 * 1024)
kept = []
while True:
    kept.append(b"x" * step)  # touched, so it is resident
    print(f"holding {len(kept) * step // (1024 * 1024)} MiB", flush=True)
    time.sleep(1)
