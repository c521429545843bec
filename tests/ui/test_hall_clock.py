"""The header shows the hall's time, not the PC's (issue 12, point 1)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from counter_tui.ui.app import make_app
from counter_tui.ui.widgets.header import CounterHeader
from tests.ui.conftest import PASSWORD, NodeDatabase
from tests.ui.helpers import log_in

#: Sunday 23:30:05 in UTC is Monday 07:30:05 in Beijing.
INSTANT = datetime(2026, 12, 6, 23, 30, 5, tzinfo=UTC)


@pytest.fixture
def pc_in_utc() -> Iterator[None]:
    """The PC's zone is UTC (TZ), as on a freshly installed server."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


async def test_the_header_shows_the_hall_time_on_a_pc_set_to_utc(
    pc_in_utc: None, node: NodeDatabase
) -> None:
    app = make_app(node.settings, clock=lambda: INSTANT.astimezone())  # the PC's own clock
    async with app.run_test(size=(120, 30)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        header = str(app.screen.query_one(CounterHeader).render())
        assert header.endswith("2026-12-07 07:30:05")
        assert app.clock().utcoffset() == timedelta(hours=8)


async def test_the_header_follows_the_configured_hall_zone(
    pc_in_utc: None, node: NodeDatabase
) -> None:
    settings = replace(node.settings, timezone="Asia/Urumqi")
    app = make_app(settings, clock=lambda: INSTANT)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        assert str(app.screen.query_one(CounterHeader).render()).endswith("05:30:05")


def test_the_app_clock_is_the_hall_clock_by_default(pc_in_utc: None, node: NodeDatabase) -> None:
    now = make_app(node.settings).clock()
    assert now.utcoffset() == timedelta(hours=8)
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)
