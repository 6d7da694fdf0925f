"""Generated requests over the whole OpenAPI schema, against the real server:
at least 1,000 cases, no 5xx, no response that breaks the schema.

Valid inputs must also get a documented status code; invalid ones (negative
mode) may be refused with any 4xx, but never a 5xx, and the body must still
be the documented JSON."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.services.api.conftest import Keys

EXAMPLES_PER_OPERATION = 60
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def cases_of(
    operation: APIOperation, mode: GenerationMode, base_url: str, headers: dict[str, str]
) -> Callable[[], int]:
    """A Hypothesis test over one operation in one mode; returns the cases run."""
    checks = (
        CHECKS
        if mode is GenerationMode.POSITIVE
        else [c for c in CHECKS if c is not status_code_conformance]
    )
    count = 0

    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        nonlocal count
        count += 1
        response = case.call(base_url=base_url, headers=headers, timeout=10)
        case.validate_response(response, checks=checks)

    def run_all() -> int:
        try:
            run()
        except Unsatisfiable:
            # An operation that takes no input has no invalid input to send.
            assert mode is GenerationMode.NEGATIVE
        return count

    return run_all


def test_generated_requests_find_no_server_error_and_no_schema_violation(
    base_url: str, keys: Keys, admin: httpx.Client
) -> None:
    admin.post("/api/advanced-monitoring/register-plugin", json={"plugin_id": "app"})
    schema = schemathesis.openapi.from_dict(admin.get("/openapi.json").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    total = sum(
        cases_of(operation, mode, base_url, keys.header("admin"))()
        for operation, mode in itertools.product(operations, GenerationMode)
    )
    assert total >= 1000
