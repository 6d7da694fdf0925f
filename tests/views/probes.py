"""Run a console probe script in a process of its own and read its answer:
the last line it prints, as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run_probe(
    probe: Path, data_dir: Path, env: Mapping[str, str], wrapper: tuple[str, ...] = ()
) -> dict[str, Any]:
    result = subprocess.run(
        [*wrapper, sys.executable, str(probe), str(data_dir)],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer
