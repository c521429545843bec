"""The approver's worklist and the overdue list: open cases by due date, with their levels."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from counter_tui.cases import backoffice, commands
from counter_tui.cases.intake import RECEIVED, Intake, Mark, Party
from counter_tui.cases.worklist import (
    BACK_OFFICE_STATES,
    OPEN_STATES,
    WARNING_LEVELS,
    overdue,
    warning_counts,
    worklist,
)
from counter_tui.db import read_session, write_session
from counter_tui.workdays.sla import Level, SupervisionPolicy
from tests.cases.catalog import Hall
from tests.cases.helpers import at
from tests.conftest import Cli

ID_NUMBER = "42060219900307123X"


def f5(name: str) -> Intake:
    intake = Intake(
        entry_code="F-5", applicant=Party(name=name, id_number=ID_NUMBER, phone="13812345678")
    )
    for kind in ("application", "resident_id", "floor_plan", "health_certificate"):
        intake = intake.with_mark(kind, Mark(RECEIVED, original_seen=True))
    return intake


def handed_off(hall: Hall, name: str, accepted: datetime) -> str:
    with write_session(hall.engine) as session:
        case = commands.accept(session, hall.clerk, f5(name), now=accepted).case
        backoffice.hand_off(session, hall.clerk, case.id, now=accepted)
    return case.id


def test_worklist_is_sorted_by_due_date_with_levels_and_masked_names(hall: Hall) -> None:
    late = handed_off(hall, "张三", at(11, 2))  # due 11-16: yellow on 11-18
    soon = handed_off(hall, "李四", at(11, 4))  # due 11-18: the due day → reminder
    fresh = handed_off(hall, "王五", at(11, 18))  # due 12-02
    with read_session(hall.engine) as session:
        items = worklist(session, today=date(2026, 11, 18), department="SCJG")
    assert [i.id for i in items] == [late, soon, fresh]
    assert [i.level for i in items] == [Level.YELLOW, Level.REMINDER, Level.NORMAL]
    assert [i.left for i in items] == ["超期 2 个工作日", "今天到期", "剩 10 个工作日"]
    assert [i.applicant for i in items] == ["张*", "李*", "王*"]


def test_worklist_filters_department_and_level(hall: Hall) -> None:
    handed_off(hall, "张三", at(11, 2))
    handed_off(hall, "李四", at(11, 18))
    with read_session(hall.engine) as session:
        assert worklist(session, today=date(2026, 11, 18), department="SWJ") == []
        yellow = worklist(session, today=date(2026, 11, 18), levels=[Level.YELLOW])
    assert [i.applicant for i in yellow] == ["张*"]


def test_a_suspended_case_shows_paused_until_its_card_turns_red(hall: Hall) -> None:
    case_id = handed_off(hall, "张三", at(11, 2))  # due 11-16
    with write_session(hall.engine) as session:
        backoffice.claim(session, hall.approver, case_id, display_name="王审批", now=at(11, 3))
        backoffice.suspend(session, hall.approver, case_id, reason="专家评审", now=at(11, 4))
    with read_session(hall.engine) as session:
        (paused,) = worklist(session, today=date(2026, 11, 10))
        (red,) = worklist(session, today=date(2026, 12, 1))  # legal limit (20 days) passed
    assert paused.level == Level.PAUSED and paused.assignee == "王审批"
    assert red.level == Level.RED


def test_warning_counts_match_the_levels_of_every_open_case_day_by_day(hall: Hall) -> None:
    """The header's count reads only cases due soon; day by day through November and December
    it agrees with the levels the worklist gives every open case, paused ones included."""
    for name, accepted in (("张三", 2), ("李四", 4), ("王五", 9), ("赵六", 18), ("钱七", 20)):
        handed_off(hall, name, at(11, accepted))
    (suspended, *_) = worklist_ids(hall)
    with write_session(hall.engine) as session:
        backoffice.claim(session, hall.approver, suspended, now=at(11, 3))
        backoffice.suspend(session, hall.approver, suspended, reason="专家评审", now=at(11, 5))
        commands.accept(session, hall.clerk, f5("孙八"), now=at(11, 16))  # accepted, not handed off
    seen = set()
    with read_session(hall.engine) as session:
        for day in (date(2026, 11, d) for d in range(2, 31)):
            every = worklist(session, today=day, states=OPEN_STATES)
            expected = {level: sum(i.level == level for i in every) for level in WARNING_LEVELS}
            assert warning_counts(session, today=day) == expected, day
            back = worklist(session, today=day, department="SCJG")
            counted = warning_counts(
                session, today=day, department="SCJG", states=BACK_OFFICE_STATES
            )
            assert counted == {
                level: sum(i.level == level for i in back) for level in WARNING_LEVELS
            }
            seen |= {level for level, count in expected.items() if count}
    assert seen == set(WARNING_LEVELS)  # the days crossed every level


def test_warning_counts_follow_the_supervision_policy(hall: Hall) -> None:
    handed_off(hall, "张三", at(11, 2))  # due 11-16
    with read_session(hall.engine) as session:
        today = date(2026, 11, 18)
        assert warning_counts(session, today=today)[Level.YELLOW] == 1
        strict = SupervisionPolicy(reminder_days=1, yellow_grace_days=0)
        assert warning_counts(session, today=today, policy=strict)[Level.RED] == 1
        early = SupervisionPolicy(reminder_days=6)
        assert warning_counts(session, today=date(2026, 11, 6), policy=early)[Level.REMINDER] == 1
        assert warning_counts(session, today=date(2026, 11, 6))[Level.REMINDER] == 0


def worklist_ids(hall: Hall) -> list[str]:
    with read_session(hall.engine) as session:
        return [i.id for i in worklist(session, today=date(2026, 11, 2))]


def test_overdue_lists_open_cases_past_due_only(hall: Hall) -> None:
    late = handed_off(hall, "张三", at(11, 2))
    handed_off(hall, "李四", at(11, 18))
    with write_session(hall.engine) as session:  # a completed case is not overdue
        done = commands.accept(session, hall.clerk, f5("赵六"), now=at(11, 2)).case
        backoffice.hand_off(session, hall.clerk, done.id, now=at(11, 2))
        backoffice.claim(session, hall.approver, done.id, now=at(11, 3))
        backoffice.decide(session, hall.approver, done.id, approve=True, decision_number="1号")
        backoffice.complete(session, hall.approver, done.id)
    with read_session(hall.engine) as session:
        items = overdue(session, today=date(2026, 11, 18))
    assert [i.id for i in items] == [late]


def test_cases_overdue_on_the_command_line(hall: Hall, cli: Cli) -> None:
    handed_off(hall, "张三", at(11, 2))
    ran = cli("cases", "overdue", "--date", "2026-11-18", "--json", db=hall.node.url)
    assert ran.code == 0, ran.err
    (row,) = json.loads(ran.out)
    assert row["number"] == "421202-XA-BYQ-261102-0001"
    assert (row["due"], row["level"], row["left"]) == ("2026-11-16", "yellow", "超期 2 个工作日")
    text = cli("cases", "overdue", "--date", "2026-11-18", db=hall.node.url)
    assert "黄牌  421202-XA-BYQ-261102-0001" in text.out and "共 1 件" in text.out
    bad = cli("cases", "overdue", "--date", "18/11/2026", db=hall.node.url)
    assert bad.code == 2 and "日期格式应为 YYYY-MM-DD" in bad.error_line


def test_cases_overdue_follows_the_supervision_settings(
    hall: Hall, cli: Cli, tmp_path: Path
) -> None:
    handed_off(hall, "张三", at(11, 2))  # due 11-16; on 11-18 yellow by default
    config = tmp_path / "config.toml"
    config.write_text("[supervision]\nyellow_grace_days = 0\n", encoding="utf-8")
    ran = cli(
        "--config", config, "cases", "overdue", "--date", "2026-11-18", "--json", db=hall.node.url
    )
    assert ran.code == 0, ran.err
    (row,) = json.loads(ran.out)
    assert row["level"] == "red"  # no grace: red the day after the due date


def test_find_cases_by_number_id_phone_or_name(hall: Hall) -> None:
    from counter_tui.cases.worklist import find_cases

    first = handed_off(hall, "张三", at(11, 2))
    second = handed_off(hall, "张三", at(11, 3))
    with read_session(hall.engine) as session:
        by_number = find_cases(session, "421202-xa-byq-261102-0001")
        by_id = find_cases(session, ID_NUMBER.lower())
        by_phone = find_cases(session, "138 1234 5678")
        by_name = find_cases(session, "张三")
        nobody = find_cases(session, "李四")
    assert [f.id for f in by_number] == [first]
    assert [f.id for f in by_id] == [second, first]  # newest first
    assert [f.id for f in by_phone] == [second, first]
    assert [f.id for f in by_name] == [second, first]
    assert by_name[0].applicant == "张*" and by_name[0].state_label == "已移交后台"
    assert nobody == []


def test_a_search_shows_the_full_name_to_a_clerk_of_the_cases_own_site_only(hall: Hall) -> None:
    """Ctrl+O's pick list: the clerk at this site's window has the applicant in front of them
    (issue 15, point 8); a supervisor, or a clerk of another site, sees the name masked."""
    from counter_tui.actor import Actor
    from counter_tui.cases.worklist import find_cases

    handed_off(hall, "张三", at(11, 2))
    handed_off(hall, "张三", at(11, 3))
    site = hall.node.site
    with read_session(hall.engine) as session:
        seen = {
            who: [f.applicant for f in find_cases(session, "张三", viewer=viewer)]
            for who, viewer in {
                "own clerk": Actor("li", "clerk", site),
                "other site": Actor("li", "clerk", "421202-XA-OTHER"),
                "supervisor": Actor("zhao", "supervisor", site),
                "nobody": None,
            }.items()
        }
    assert seen == {
        "own clerk": ["张三", "张三"],
        "other site": ["张*", "张*"],
        "supervisor": ["张*", "张*"],
        "nobody": ["张*", "张*"],
    }


def test_a_case_numbered_before_issue_14_keeps_its_number_and_its_day_starts_again(
    hall: Hall,
) -> None:
    """Old numbers dropped the division code and had an eight-digit date; they stay as they
    are, are still found by number, and the day's new numbers start at 0001 beside them."""
    from counter_tui.cases.worklist import find_cases
    from tests.core.helpers import execute

    old = handed_off(hall, "张三", at(11, 2))
    execute(hall.engine, "UPDATE cases SET number = 'XA-BYQ-20261102-0001' WHERE id = :i", i=old)
    new = handed_off(hall, "李四", at(11, 2, 15))

    with read_session(hall.engine) as session:
        by_old = find_cases(session, "xa-byq-20261102-0001")
        by_new = find_cases(session, "421202-XA-BYQ-261102-0001")
    assert [(f.id, f.number) for f in by_old] == [(old, "XA-BYQ-20261102-0001")]
    assert [(f.id, f.number) for f in by_new] == [(new, "421202-XA-BYQ-261102-0001")]
