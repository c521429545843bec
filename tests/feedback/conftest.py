"""The ratings tests' hall: the case tests' hall (intake catalog, calendar, clerk 李四, approver
王审批 of SCJG) with a supervisor 赵督查, and an accepted F-5 case."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from counter_tui.accounts.service import create_user
from counter_tui.actor import Actor
from counter_tui.db import write_session
from tests.cases.catalog import Hall, open_hall
from tests.conftest import Node


@dataclass(frozen=True)
class RatingHall:
    hall: Hall
    supervisor: Actor

    @property
    def clerk(self) -> Actor:
        return self.hall.clerk


@pytest.fixture
def rhall(node: Node, tmp_path: Path) -> RatingHall:
    hall = open_hall(node, tmp_path / "catalog")
    with write_session(node.engine) as session:
        user = create_user(
            session,
            node.operator,
            username="zhao",
            display_name="赵督查",
            role="supervisor",
            password="secret123",
        )
    supervisor = Actor(username="zhao", role="supervisor", site=node.site, user_id=user.id)
    return RatingHall(hall, supervisor)
