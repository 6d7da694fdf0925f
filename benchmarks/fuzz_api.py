"""The API and the alert stream fuzzed, at length (issue 14's acceptance).

Run: .venv/bin/python benchmarks/fuzz_api.py [--examples 150] [--messages 2000]

1. schemathesis over the whole OpenAPI schema, every operation in positive
   and negative mode (`--examples` each), against a real server on a free
   loopback port, with the checks schemathesis runs for `--checks all` that
   apply to one request: no 5xx, documented status codes, content types,
   headers and bodies, invalid data refused, valid data accepted. The admin
   key used is exempt from the rate limits (as the issue asks).
2. A WebSocket message fuzzer: random JSON and non-JSON frames of every
   message type the stream takes, with random fields.

Then the server's health must still be "ok". The test suite runs a small
share of part 1 (tests/services/api/test_generated_requests.py).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from websockets.sync.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.services.api.conftest import make_keys, open_api_monitor

COMMON = [
    not_a_server_error,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CHECKS = {
    GenerationMode.POSITIVE: [*COMMON, status_code_conformance, positive_data_acceptance],
    GenerationMode.NEGATIVE: [*COMMON, negative_data_rejection],
}
MESSAGE_TYPES = ["auth", "resume", "subscribe", "unsubscribe", "filter", "ping", "other", None]


def fuzz_operation(
    operation: APIOperation,
    mode: GenerationMode,
    *,
    base_url: str,
    headers: dict[str, str],
    examples: int,
    failures: Counter[str],
) -> int:
    count = 0

    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case: schemathesis.Case) -> None:
        nonlocal count
        count += 1
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        try:
            case.validate_response(response, checks=CHECKS[mode])
        except (Exception, BaseExceptionGroup) as error:  # counted and shown; the run goes on
            titles = [line for line in str(error).splitlines() if line.startswith("- ")]
            key = f"{operation.label} [{mode.value}]: {'; '.join(titles)[:160]}"
            if key not in failures:
                print("FAIL", key, file=sys.stderr)
            failures[key] += 1

    with contextlib.suppress(Unsatisfiable):  # an operation without input has no invalid input
        run()
    return count


def random_value(rng: random.Random) -> object:
    return rng.choice(
        [
            None,
            True,
            -1,
            0,
            2**70,
            1.5,
            float("1e308"),
            "",
            "x" * rng.randint(1, 5000),
            "warning,critical",
            ["info"],
            {"a": 1},
            "\u0000\n",
            "9" * 30,
        ]
    )


def fuzz_stream(stream_url: str, token: str, messages: int, seed: int) -> Counter[str]:
    rng = random.Random(seed)
    seen: Counter[str] = Counter()
    sent = 0
    while sent < messages:
        headers = {"Authorization": f"Bearer {token}"} if rng.random() < 0.7 else {}
        with connect(stream_url, additional_headers=headers, open_timeout=10) as ws:
            seen[json.loads(ws.recv(timeout=10)).get("type", "?")] += 1
            for _ in range(rng.randint(1, 50)):
                kind = rng.choice(MESSAGE_TYPES)
                if rng.random() < 0.1:
                    frame = rng.choice(["{", "null", "[]", '"x"', '{"type": 1}', "\u00ff" * 10])
                else:
                    body = {
                        k: random_value(rng)
                        for k in rng.sample(
                            ["last_seq", "plugin_id", "levels", "silenced", "token", "plugins"],
                            rng.randint(0, 3),
                        )
                    }
                    if kind is not None:
                        body["type"] = kind
                    frame = json.dumps(body)
                ws.send(frame)
                sent += 1
                try:
                    reply = json.loads(ws.recv(timeout=5))
                    seen[str(reply.get("type"))] += 1
                except TimeoutError:
                    seen["no reply"] += 1
                except Exception as error:
                    seen[f"closed: {type(error).__name__}"] += 1
                    break
    return seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=150, help="cases per operation and mode")
    parser.add_argument("--messages", type=int, default=2000, help="WebSocket messages")
    args = parser.parse_args()
    monitor = open_api_monitor(Path(tempfile.mkdtemp()) / "data")
    keys = make_keys(monitor)
    monitor.start(monitoring=False)
    try:
        assert monitor.api is not None
        base_url = f"http://127.0.0.1:{monitor.api.ports['API']}"
        admin = keys.header("admin")
        httpx.post(
            base_url + "/api/advanced-monitoring/register-plugin",
            json={"plugin_id": "app"},
            headers=admin,
        ).raise_for_status()
        schema = schemathesis.openapi.from_dict(httpx.get(base_url + "/openapi.json").json())
        operations = [result.ok() for result in schema.get_all_operations()]
        failures: Counter[str] = Counter()
        began = time.monotonic()
        cases = sum(
            fuzz_operation(
                op,
                mode,
                base_url=base_url,
                headers=admin,
                examples=args.examples,
                failures=failures,
            )
            for op, mode in itertools.product(operations, GenerationMode)
        )
        http_seconds = time.monotonic() - began
        stream_url = f"ws://127.0.0.1:{monitor.api.ports['WebSocket stream']}/"
        replies = fuzz_stream(stream_url, keys.admin, args.messages, seed=14)
        health = httpx.get(base_url + "/api/system/health", headers=admin).json()
    finally:
        monitor.stop()
    print(f"operations         : {len(operations)}, both modes, {args.examples} examples each")
    print(f"HTTP cases         : {cases:,} in {http_seconds:.0f} s")
    print(f"failed checks      : {sum(failures.values())} ({len(failures)} distinct)")
    for key, count in failures.most_common():
        print(f"  {count:>5}  {key}")
    print(f"WebSocket messages : {args.messages:,}; replies by type: {dict(replies)}")
    print(f"health after       : {health['status']}")


if __name__ == "__main__":
    main()
