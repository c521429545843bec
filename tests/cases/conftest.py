"""The case tests' hall: a node with the intake catalog, the calendar, a clerk and an approver
(tests/cases/catalog.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cases.catalog import Hall, open_hall
from tests.conftest import Node


@pytest.fixture
def hall(node: Node, tmp_path: Path) -> Hall:
    return open_hall(node, tmp_path / "catalog")
