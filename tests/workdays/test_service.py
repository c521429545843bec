"""The calendar in a node's database (both engines): seeding, importing whole years, never half
a year, due dates over the stored calendar, provisional years recomputed when they arrive."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from counter_tui.db import read_session, write_session
from counter_tui.errors import PermissionDenied
from counter_tui.journal.service import replay
from counter_tui.workdays import service
from counter_tui.workdays.loader import load_calendar
from counter_tui.workdays.models import CalendarDay, CalendarYear
from counter_tui.workdays.rules import HOLIDAY, OFFICIAL, PROVISIONAL, Published
from counter_tui.workdays.seed import package_plans, package_source
from counter_tui.workdays.service import (
    calendar_for,
    due_date,
    ensure_seeded,
    import_calendar,
    year_info,
)
from tests.conftest import Node
from tests.core.helpers import events
from tests.workdays.facts import oracle_due
from tests.workdays.helpers import YEAR_2027, write


def seed(node: Node, **kwargs: Any) -> list[service.YearImport]:
    with write_session(node.engine) as session:
        return service.ensure_seeded(session, node.operator, **kwargs)


def plan_2027(tmp_path: Path, text: str = YEAR_2027) -> Published:
    [file] = load_calendar(write(tmp_path / "in", **{"2027.toml": text}))
    return Published(file.plan, "file", str(file.path))


def import_(node: Node, *published: Published) -> list[service.YearImport]:
    with write_session(node.engine) as session:
        return import_calendar(session, node.operator, list(published))


def stored_days(node: Node, year: int) -> dict[date, tuple[str, str]]:
    with read_session(node.engine) as session:
        rows = session.exec(select(CalendarDay).where(col(CalendarDay.year) == year))
        return {row.day: (row.kind, row.name) for row in rows}


def test_seeding_fills_every_year_the_package_knows_once(node: Node) -> None:
    written = seed(node, shipped=False)
    again = seed(node, shipped=False)

    known = [p.year for p in package_plans()]
    assert [r.year for r in written] == known and again == []
    with read_session(node.engine) as session:
        rows = session.exec(select(CalendarYear)).all()
        assert {r.year for r in rows} == set(known)
        assert {(r.status, r.origin, r.source) for r in rows} == {
            (OFFICIAL, "package", package_source())
        }
    [event] = events(node.engine, "calendar.imported")
    assert [y["year"] for y in json.loads(event.payload)["years"]] == known


def test_the_shipped_files_override_the_package(node: Node) -> None:
    seed(node)

    with read_session(node.engine) as session:
        found = year_info(session, 2026)
        assert found is not None
        row, plan = found
    assert (row.origin, row.source) == ("file", "data/calendar/2026.toml")
    assert "2026年部分节假日安排" in plan.notice
    # The same days as the package, with the notice attached.
    assert stored_days(node, 2026)[date(2026, 10, 1)] == (HOLIDAY, "国庆节")


def test_due_dates_over_the_stored_2026_calendar(node: Node) -> None:
    seed(node)

    with read_session(node.engine) as session:
        for start, days in [
            (date(2026, 9, 30), 5),  # 国庆节 Oct 1–7 off, Sat Oct 10 worked → Oct 13
            (date(2026, 9, 18), 1),  # Sun Sep 20 worked (国庆节 make-up) → Sep 20
            (date(2026, 2, 13), 2),  # Sat Feb 14 worked, Feb 15–23 off → Feb 24
            (date(2026, 9, 24), 1),  # 中秋节 Fri Sep 25 off → Mon Sep 28
        ]:
            result = due_date(session, start, days)
            assert result.date == oracle_due(start, days)
            assert not result.provisional
        assert due_date(session, date(2026, 9, 30), 5).date == date(2026, 10, 13)


def test_a_due_date_into_2027_is_provisional_until_2027_arrives(node: Node, tmp_path: Path) -> None:
    seed(node)
    with read_session(node.engine) as session:
        assert not calendar_for(session).is_official(2027), (
            "the seed now knows 2027: move this test to the first year it does not know"
        )
        # Mon 28 Dec 2026 + 5: Dec 29, 30, 31, then (Fri 1 Jan is 元旦 by its fixed date) Mon 4
        # and Tue 5 Jan.
        before = due_date(session, date(2026, 12, 28), 5)
    assert before.date == oracle_due(date(2026, 12, 28), 5) == date(2027, 1, 5)
    assert before.unofficial_years == (2027,)

    import_(node, plan_2027(tmp_path))  # 元旦 2027: Jan 1–3 off

    with read_session(node.engine) as session:
        after = due_date(session, date(2026, 12, 28), 5)
    assert after.date == date(2027, 1, 5) and not after.provisional


def test_an_import_replaces_the_whole_year_and_a_repeat_changes_nothing(
    node: Node, tmp_path: Path
) -> None:
    seed(node)
    first = import_(node, plan_2027(tmp_path / "a"))
    # The same year again, now without 春节: its days must go.
    shorter = YEAR_2027.split('[[holidays]]\nname = "春节"')[0]
    second = import_(node, plan_2027(tmp_path / "b", shorter))
    third = import_(node, plan_2027(tmp_path / "b", shorter))

    assert first[0].changed and second[0].changed and not third[0].changed
    assert set(stored_days(node, 2027)) == {date(2027, 1, 1)}  # Jan 2–3 are a weekend
    imported = events(node.engine, "calendar.imported")
    assert len(imported) == 3  # the seed, then two imports that changed something


def test_a_failed_import_leaves_the_year_as_it_was(
    node: Node, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(node)
    import_(node, plan_2027(tmp_path / "a"))
    before = stored_days(node, 2027)

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(service, "record", fail)  # after the rows were written and flushed
    shorter = YEAR_2027.split('[[holidays]]\nname = "春节"')[0]
    with pytest.raises(RuntimeError):
        import_(node, plan_2027(tmp_path / "b", shorter))

    assert stored_days(node, 2027) == before
    with read_session(node.engine) as session:
        found = year_info(session, 2027)
        assert found is not None and len(found[1].holidays) == 2


def test_seeding_never_replaces_an_official_year_with_a_provisional_one(
    node: Node, tmp_path: Path
) -> None:
    seed(node)
    provisional_2026 = (
        'year = 2026\nstatus = "provisional"\n\n[[holidays]]\nname = "元旦"\nfrom = 2026-01-01\n'
    )
    folder = write(tmp_path / "files", **{"2026.toml": provisional_2026})

    assert seed(node, folder=folder) == []
    with read_session(node.engine) as session:
        found = year_info(session, 2026)
        assert found is not None and found[0].status == OFFICIAL


def test_seeding_replaces_a_provisional_year_when_the_official_one_arrives(
    node: Node, tmp_path: Path
) -> None:
    seed(node)
    guess = plan_2027(tmp_path / "guess")
    import_(node, replace(guess, plan=replace(guess.plan, status=PROVISIONAL)))
    with read_session(node.engine) as session:
        assert due_date(session, date(2026, 12, 28), 5).unofficial_years == (2027,)

    official = write(tmp_path / "official", **{"2027.toml": YEAR_2027})
    written = seed(node, folder=official)

    assert [(r.year, r.status) for r in written] == [(2027, OFFICIAL)]
    with read_session(node.engine) as session:
        assert not due_date(session, date(2026, 12, 28), 5).provisional


def test_only_an_admin_imports_a_calendar(node: Node, tmp_path: Path) -> None:
    clerk = replace(node.operator, username="li", role="clerk")

    with write_session(node.engine) as session, pytest.raises(PermissionDenied, match="工作日历"):
        import_calendar(session, clerk, [plan_2027(tmp_path)])


def test_replaying_the_journal_leaves_the_calendar_alone(node: Node) -> None:
    seed(node)
    before = stored_days(node, 2026)

    with write_session(node.engine) as session:
        replay(session)

    assert stored_days(node, 2026) == before


def test_a_year_with_no_arrangement_is_not_stored(node: Node) -> None:
    seed(node)
    with read_session(node.engine) as session:
        assert year_info(session, 2030) is None
        assert not calendar_for(session).is_official(2030)


def test_ensure_seeded_takes_an_actor_and_records_it(node: Node) -> None:
    with write_session(node.engine) as session:
        ensure_seeded(session, node.operator, shipped=False)

    [event] = events(node.engine, "calendar.imported")
    assert event.actor == node.operator.label
