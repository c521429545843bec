"""Schemathesis against the published OpenAPI schema (/openapi.json): whatever a client sends,
generated from the schema and beyond it, the hub never answers 5xx. Requests carry a registered
village's credential, so pushes and pulls get past the door and reach the sync core.

Runs on SQLite only: what the engines differ in is covered by tests/sync/test_hub_api.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.sync.api import Served, register, served


@pytest.fixture
def village_hub(tmp_path: Path) -> Iterator[Served]:
    with served("sqlite", tmp_path, None) as found:
        register(found)
        yield found


@pytest.fixture
def published(village_hub: Served) -> schemathesis.BaseSchema:
    found = schemathesis.openapi.from_asgi("/openapi.json", village_hub.client.app)
    # Valid bodies and invalid ones (wrong types, missing and extra fields, NUL characters).
    found.config.generation.update(modes=list(schemathesis.GenerationMode), allow_x00=True)
    return found


schema = schemathesis.pytest.from_fixture("published")


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_input_makes_the_hub_fail(case: schemathesis.Case, village_hub: Served) -> None:
    headers = dict(case.headers or {})
    if case.path != "/v1/enroll":
        headers |= village_hub.as_village()
    response = case.call(headers=headers)
    assert response.status_code < 500, response.text
    assert "hub_time" in response.json(), response.text
