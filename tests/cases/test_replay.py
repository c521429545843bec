"""Replaying the journal rebuilds the case tables exactly (DESIGN §4.1), on both engines, and the
chain still verifies; intake drafts are not journaled and survive a replay untouched."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.cases import commands as cases_commands
from counter_tui.cases import drafts as cases_drafts
from counter_tui.cases import reads as cases_reads
from counter_tui.cases.intake import DEFERRED, MISSING, ORGANISATION, RECEIVED, Intake, Mark, Party
from counter_tui.cases.models import Applicant, Case, CaseDeferral, CaseNotice
from counter_tui.cases.record import ACCEPTED, COMPLETED, NOTIFIED, REFUSED, TERMINATED
from counter_tui.db import read_session, write_session
from counter_tui.journal.service import replay, verify
from counter_tui.workdays.loader import load_calendar
from counter_tui.workdays.rules import Published
from counter_tui.workdays.service import import_calendar
from tests.cases.catalog import F5, Hall, open_hall
from tests.conftest import HALL, Cli, Node
from tests.core.helpers import dump_projections, execute
from tests.workdays.helpers import YEAR_2027, write

CASE_TABLES = ("cases", "case_deferral", "case_notice", "applicant")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=HALL)


def f5(applicant: Party, **marks: Mark) -> Intake:
    intake = Intake(entry_code=F5, applicant=applicant)
    base = {
        "application": Mark(RECEIVED, original_seen=True),
        "resident_id": Mark(RECEIVED, original_seen=True, copies_kept=1),
        "floor_plan": Mark(RECEIVED),
        "health_certificate": Mark(RECEIVED, copies_kept=1),
    }
    for kind, mark in (base | marks).items():
        intake = intake.with_mark(kind, mark)
    return intake


ZHANG = Party(name="张三", id_number="420602198503151231", phone="13812345678")
WANG = Party(name="王芳", id_number="420607197808083011", phone="0710-3456789")
SHOP = Party(
    kind=ORGANISATION,
    name="襄阳市好味道餐饮有限公司",
    uscc="91420600MA4F123453",
    legal_rep="王五",
    legal_rep_id_number="420606199001010025",
    phone="13700001111",
)


@pytest.fixture
def busy(node: Node, tmp_path: Path) -> Hall:
    """A hall after a day of every outcome: accepted with deferrals (one supplied, one lapsed
    and terminated), notified then resumed, notified and waiting, refused, 即办件 completed, and a
    provisional due date recomputed after the 2027 calendar arrived."""
    hall = open_hall(node, tmp_path / "catalog")
    clerk = hall.clerk
    with write_session(hall.engine) as s:
        supplied = cases_commands.accept(
            s,
            clerk,
            f5(ZHANG, floor_plan=Mark(DEFERRED, until=date(2026, 10, 12))),
            now=at(2026, 9, 30),
        ).case
        lapsed = cases_commands.accept(
            s,
            clerk,
            f5(SHOP, health_certificate=Mark(DEFERRED, until=date(2026, 10, 9))),
            now=at(2026, 9, 30, 11),
        ).case
        resumed = cases_commands.notify(
            s, clerk, f5(WANG, application=Mark(MISSING)), now=at(2026, 9, 30, 14)
        ).case
        cases_commands.notify(
            s, clerk, f5(ZHANG, health_certificate=Mark(MISSING)), now=at(2026, 9, 30, 15)
        )
        cases_commands.refuse(
            s,
            clerk,
            f5(WANG),
            reasons="不属于本机关职权范围",
            competent_agency="市市场监管局",
            now=at(2026, 9, 30, 16),
        )
        cases_commands.accept(
            s,
            clerk,
            Intake(entry_code="T-1", applicant=ZHANG).with_mark("resident_id", Mark(RECEIVED)),
            now=at(2026, 9, 30, 16),
        )
    with write_session(hall.engine) as s:
        waiting = cases_reads.get_case(s, resumed.id)
        assert waiting is not None
        cases_commands.accept(
            s,
            clerk,
            waiting.intake.with_mark("application", Mark(RECEIVED)),
            case_id=resumed.id,
            now=at(2026, 10, 8),
        )
        cases_commands.supply_deferred(s, clerk, supplied.id, "floor_plan", now=at(2026, 10, 9))
        cases_commands.terminate(s, clerk, lapsed.id, now=at(2026, 10, 12))
        cases_commands.accept(s, clerk, replace(f5(ZHANG), note="跨年"), now=at(2027, 1, 27))
        cases_drafts.save_draft(s, clerk, f5(replace(ZHANG, id_number="4206")), now=at(2027, 1, 27))
    [file] = load_calendar(write(tmp_path / "calendar", **{"2027.toml": YEAR_2027}))
    with write_session(hall.engine) as s:
        import_calendar(s, node.operator, [Published(file.plan, "file", "2027.toml")])
        assert cases_commands.recompute_due_dates(s, node.operator) == 1
    return hall


def test_the_day_left_every_kind_of_row(busy: Hall) -> None:
    with read_session(busy.engine) as s:
        states = sorted(row.state for row in s.exec(select(Case)))
        assert states == sorted(
            [ACCEPTED, TERMINATED, ACCEPTED, NOTIFIED, REFUSED, COMPLETED, ACCEPTED]
        )
        deferrals = s.exec(select(CaseDeferral)).all()
        assert sorted((d.kind, d.supplied_at is not None) for d in deferrals) == [
            ("floor_plan", True),
            ("health_certificate", False),
        ]
        kinds = sorted(n.kind for n in s.exec(select(CaseNotice)))
        assert kinds == sorted(
            ["receipt"] * 5 + ["deferral"] * 2 + ["notify"] * 2 + ["refusal", "termination"]
        )
        assert {(a.key_type, a.key) for a in s.exec(select(Applicant))} == {
            ("111", ZHANG.id_number),
            ("111", WANG.id_number),
            ("uscc", SHOP.uscc),
        }


def test_replay_rebuilds_the_case_tables_exactly_and_the_chain_verifies(busy: Hall) -> None:
    before = dump_projections(busy.engine)
    assert all(before[table] for table in CASE_TABLES)

    with write_session(busy.engine) as s:
        replay(s)

    after = dump_projections(busy.engine)
    for table in CASE_TABLES:
        assert after[table] == before[table], table
    assert after == before
    with read_session(busy.engine) as s:
        checked, breach = verify(s)
        assert breach is None and checked > 0
        # The draft is not business state: replay leaves it alone.
        draft = cases_drafts.latest_draft(s, busy.clerk)
    assert draft is not None and draft.intake.applicant.id_number == "4206"


def test_replay_repairs_a_case_row_changed_behind_the_journals_back(busy: Hall) -> None:
    before = dump_projections(busy.engine)
    execute(busy.engine, "UPDATE cases SET state = 'completed', due = NULL")
    execute(busy.engine, "DELETE FROM case_notice WHERE kind = 'termination'")
    assert dump_projections(busy.engine) != before

    with write_session(busy.engine) as s:
        replay(s)

    assert dump_projections(busy.engine) == before


# --- audit verify: the projections against the journal (issue 12, point 8) ------------------


def test_a_clean_database_has_no_projection_differences(busy: Hall) -> None:
    from counter_tui.journal.service import projection_differences

    before = dump_projections(busy.engine)

    with read_session(busy.engine) as s:
        assert projection_differences(s) == []

    assert dump_projections(busy.engine) == before  # compared aside, nothing changed here


def test_hand_edits_of_a_case_and_a_ticket_are_named(busy: Hall, cli: Cli) -> None:
    """`UPDATE cases SET state='approved'` made the window show 准予许可 while verify said all
    was well: the rebuild names the table, the row, the column and both values."""
    from counter_tui.journal.service import projection_differences
    from counter_tui.queue import commands as queue_commands

    with write_session(busy.engine) as s:
        ticket = queue_commands.issue(s, busy.clerk, "A", now=at(2027, 1, 27, 9))
    with read_session(busy.engine) as s:
        case = s.exec(select(Case).where(Case.state == NOTIFIED)).one()
    execute(busy.engine, "UPDATE cases SET state = 'approved' WHERE id = :id", id=case.id)
    execute(busy.engine, "UPDATE queue_ticket SET state = 'finished' WHERE id = :id", id=ticket.id)
    execute(busy.engine, "DELETE FROM case_step WHERE case_id = :id", id=case.id)

    with read_session(busy.engine) as s:
        found = projection_differences(s)

    described = [d.describe() for d in found]
    assert f"表 cases 主键 {case.id} 列 state：现存 'approved'，按日志应为 'notified'" in described
    assert (
        f"表 queue_ticket 主键 {ticket.id} 列 state：现存 'finished'，按日志应为 'waiting'"
        in described
    )
    deleted = [d for d in found if d.table == "case_step"]
    assert deleted and all(d.column is None and d.stored is None for d in deleted)
    assert {d.table for d in found} == {"cases", "queue_ticket", "case_step"}

    ran = cli("audit", "verify", db=busy.node.url)

    assert ran.code == 1 and ran.out == ""
    lines = ran.err.splitlines()
    assert f"数据与日志不符：{described[0]}" in lines
    assert len(lines) == len(found)


def test_personal_data_in_a_difference_is_named_but_not_shown(busy: Hall) -> None:
    from counter_tui.journal.service import projection_differences

    execute(busy.engine, "UPDATE cases SET applicant_name = '李鬼' WHERE applicant_name = '张三'")

    with read_session(busy.engine) as s:
        found = projection_differences(s)

    assert found and all(d.column == "applicant_name" for d in found)
    assert all("张三" not in d.describe() and "李鬼" not in d.describe() for d in found)
    assert "含个人信息，不显示内容" in found[0].describe()


def test_matching_by_key_and_streaming_in_order_find_the_same_differences() -> None:
    """PostgreSQL's path matches rows by key (its collation may order them otherwise), SQLite's
    streams both sides in order: the same stored and rebuilt rows give the same differences."""
    from counter_tui.journal import service as journal

    stored = [(("a",), {"id": "a", "state": "x"}), (("b",), {"id": "b", "state": "y"})]
    rebuilt = [(("b",), {"id": "b", "state": "z"}), (("c",), {"id": "c", "state": "w"})]

    by_key = journal._compare({"t": stored}, {"t": rebuilt})
    streamed = list(journal._merged("t", iter(stored), iter(rebuilt)))

    assert by_key == streamed
    assert [(d.key, d.column, d.stored, d.rebuilt) for d in streamed] == [
        ("a", None, {"id": "a", "state": "x"}, None),
        ("b", "state", "y", "z"),
        ("c", None, None, {"id": "c", "state": "w"}),
    ]
