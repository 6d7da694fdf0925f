"""Example plugin: works for PLUGIN_SECONDS seconds, then fails (exit code 1)."""

import os
import sys
import time

seconds = float(os.environ.get("PLUGIN_SECONDS", "5"))
print(f"working for {seconds:g} s, then failing", flush=True)
time.sleep(seconds)
print("something went wrong: exiting with code 1", file=sys.stderr, flush=True)
sys.exit(1)
