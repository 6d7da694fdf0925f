"""Example plugin: pushes made-up request metrics over the API every few seconds
(the guide's update-metrics call), with the key from $PLUGIN_CONFIG_DIR/token."""

import json
import os
import random
import time
import urllib.error
import urllib.request
from pathlib import Path

API = os.environ.get("PLUGIN_API_URL", "http://127.0.0.1:5000")
PLUGIN_ID = "metrics-pusher"
token_file = Path(os.environ.get("PLUGIN_CONFIG_DIR", "config")) / "token"
token = token_file.read_text().strip() if token_file.exists() else ""


def post(path: str, body: dict) -> None:
    request = urllib.request.Request(
        API + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            print(path, answer.status, flush=True)
    except (urllib.error.URLError, OSError) as error:
        print(path, "failed:", error, flush=True)


if not token:
    print(f"no key in {token_file}: pushes will be refused (401)", flush=True)
while True:
    post(
        "/api/advanced-monitoring/update-metrics",
        {
            "plugin_id": PLUGIN_ID,
            "metrics": {
                "cpu_usage": random.uniform(5, 40),
                "memory_usage": random.uniform(20, 50),
                "response_time": random.uniform(0.05, 0.4),
                "request_count": random.randint(50, 100),
                "error_count": random.randint(0, 2),
            },
        },
    )
    time.sleep(float(os.environ.get("PLUGIN_INTERVAL", "5")))
