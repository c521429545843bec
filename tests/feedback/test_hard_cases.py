"""Hard cases (办不成事): the whole loop 受理 → 告知 → 协调 → 督办 → 回访 through the service,
the 督办 rule and the list of what is due for it, roles, masking and bad input; replay."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import pytest
from sqlmodel import select

from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.errors import PermissionDenied, UserError
from counter_tui.feedback import events as ev
from counter_tui.feedback import hard_case_reads as reads
from counter_tui.feedback import hard_cases as hc
from counter_tui.feedback.models import HardCase
from counter_tui.journal.service import projection_differences, replay
from counter_tui.queue import commands as queue
from tests.conftest import HALL, SITE, Node
from tests.core.helpers import dump_projections, event_types

T = TypeVar("T")

#: Monday 2026-11-23, 09:30 in the hall.
MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=HALL)
CLERK = Actor(username="li", role="clerk", site=SITE)
SUPERVISOR = Actor(username="zhou", role="supervisor", site=SITE)
APPROVER = Actor(username="wang", role="approver", site=SITE, department="县人社局")
ID_NUMBER = "11010519491231002X"


def write(node: Node, fn: Callable[..., T], *args: Any, actor: Actor = CLERK, **kw: Any) -> T:
    kw.setdefault("now", MONDAY)
    with write_session(node.engine) as session:
        return fn(session, actor, *args, **kw)


def show(node: Node, ref: str, viewer: Actor = CLERK, today: date | None = None) -> Any:
    with read_session(node.engine) as session:
        return reads.view(session, SITE, ref, viewer, today or MONDAY.date())


def opened(node: Node, **kw: Any) -> hc.Opened:
    kw.setdefault("kind", "shirking")
    kw.setdefault("problem", "社保转移两个部门都说不归自己管")
    kw.setdefault("applicant_name", "张三丰")
    kw.setdefault("id_number", ID_NUMBER)
    return write(node, hc.open_hard_case, **kw)


def test_the_whole_loop_with_a_supervision(node: Node) -> None:
    case = opened(node, phone="13812345678")
    assert case.number == "BC-261123-01"
    write(node, hc.inform, case.number, "已告知：需协调县人社局与医保局，3 个工作日内答复")
    due = write(
        node, hc.coordinate, case.number, department="县人社局", request="请核实转移接续", days=3
    )
    assert due == date(2026, 11, 26)  # Mon + 3 working days
    # Before the deadline there is nothing to 督办, and a supervisor may not press yet.
    with read_session(node.engine) as s:
        assert reads.due_for_supervision(s, date(2026, 11, 26)) == []
    with pytest.raises(UserError, match="尚未超期"):
        write(node, hc.supervise, case.number, department="县人社局", note="催", actor=SUPERVISOR)
    friday = MONDAY + timedelta(days=4)
    with read_session(node.engine) as s:
        due_rows = reads.due_for_supervision(s, friday.date())
    assert [(c.number, r.department) for c, r in due_rows] == [(case.number, "县人社局")]
    new_due = write(
        node,
        hc.supervise,
        case.number,
        department="县人社局",
        note="超期未答复，请于 2 个工作日内答复",
        days=2,
        actor=SUPERVISOR,
        now=friday,
    )
    assert new_due == date(2026, 12, 1)  # Fri + 2 working days: Mon 30, Tue 1
    # Concluding waits for the reply.
    with pytest.raises(UserError, match="还有部门未答复：县人社局"):
        write(node, hc.conclude, case.number, outcome="done", explanation="x", now=friday)
    write(
        node,
        hc.reply,
        case.number,
        department="县人社局",
        text="已办理转移",
        actor=APPROVER,
        now=friday + timedelta(hours=1),
    )
    write(
        node,
        hc.conclude,
        case.number,
        outcome="done",
        explanation="转移接续已办结",
        now=friday + timedelta(hours=2),
    )
    write(
        node,
        hc.visit,
        case.number,
        verdict="satisfied",
        note="很满意",
        now=friday + timedelta(days=3),
    )
    view = show(node, case.number)
    assert view.state == "closed" and view.state_label == "已回访"
    assert [s.label for s in view.steps] == ["受理", "告知", "协调", "督办", "答复", "办结", "回访"]
    assert view.steps[3].department == "县人社局"
    assert view.steps[5].text == "办成：转移接续已办结"
    assert view.requests[0].supervisions == 1 and view.requests[0].reply == "已办理转移"
    assert event_types(node.engine)[-7:] == [
        ev.HARD_CASE_OPENED,
        ev.HARD_CASE_INFORMED,
        ev.HARD_CASE_COORDINATED,
        ev.HARD_CASE_SUPERVISED,
        ev.HARD_CASE_REPLIED,
        ev.HARD_CASE_CONCLUDED,
        ev.HARD_CASE_VISITED,
    ]
    # Closed: nothing more is recorded, and it leaves the open list.
    with pytest.raises(UserError, match="已回访办结"):
        write(node, hc.inform, case.number, "again")
    with read_session(node.engine) as s:
        assert reads.open_hard_cases(s, CLERK, friday.date()) == []


def test_replay_rebuilds_the_hard_case_tables(node: Node) -> None:
    case = opened(node)
    write(node, hc.inform, case.number, "已告知")
    write(node, hc.coordinate, case.number, department="县医保局", request="核实")
    before = dump_projections(node.engine)
    with write_session(node.engine) as s:
        replay(s)
    after = dump_projections(node.engine)
    assert after["hard_case"] == before["hard_case"] and len(after["hard_case_step"]) == 3
    assert after == before
    with read_session(node.engine) as s:
        assert projection_differences(s) == []


def test_the_loop_keeps_its_order(node: Node) -> None:
    case = opened(node)
    with pytest.raises(UserError, match="先登记告知"):
        write(node, hc.coordinate, case.number, department="县医保局", request="核实")
    with pytest.raises(UserError, match="还未办结"):
        write(node, hc.visit, case.number, verdict="satisfied")
    write(node, hc.inform, case.number, "政策解释清楚，可以当场办理")
    # A routine one is concluded without coordination.
    write(node, hc.conclude, case.number, outcome="cannot", explanation="依《条例》第十条不予办理")
    with pytest.raises(UserError, match="已办结"):
        write(node, hc.coordinate, case.number, department="县医保局", request="核实")


def test_a_second_request_to_the_same_department_waits_for_the_first(node: Node) -> None:
    case = opened(node)
    write(node, hc.inform, case.number, "已告知")
    write(node, hc.coordinate, case.number, department="县医保局", request="核实")
    with pytest.raises(UserError, match="尚未答复"):
        write(node, hc.coordinate, case.number, department="县医保局", request="再核实")


def test_roles(node: Node) -> None:
    approver = Actor(username="wang", role="approver", site=SITE, department="县人社局")
    with pytest.raises(PermissionDenied, match="无权登记办不成事"):
        opened(node, actor=approver)
    case = opened(node)
    write(node, hc.inform, case.number, "已告知")
    write(node, hc.coordinate, case.number, department="县医保局", request="核实")
    # A clerk may not 督办, even past the deadline.
    later = MONDAY + timedelta(days=10)
    with pytest.raises(PermissionDenied, match="无权督办"):
        write(node, hc.supervise, case.number, department="县医保局", note="催", now=later)
    # An approver replies for their own department only.
    with pytest.raises(PermissionDenied, match="本部门"):
        write(node, hc.reply, case.number, department="县医保局", text="好", actor=approver)


def test_masking_for_supervisors_and_other_sites(node: Node) -> None:
    case = opened(node, phone="13812345678")
    assert show(node, case.number).applicant == reads.Applicant("张三丰", ID_NUMBER, "13812345678")
    assert show(node, case.number, viewer=SUPERVISOR).applicant == reads.Applicant(
        "张*丰", "1101**********002X", "138****5678"
    )
    elsewhere = Actor(username="li", role="clerk", site="421202-XA-OTHER")
    assert show(node, case.number, viewer=elsewhere).applicant.name == "张*丰"
    with read_session(node.engine) as s:
        (line,) = reads.open_hard_cases(s, SUPERVISOR, MONDAY.date())
    assert line.applicant == "张*丰"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "bogus"}, "未知的问题类型：bogus"),
        ({"problem": "   "}, "请填写问题描述"),
        ({"problem": "x" * 2001}, "问题描述太长"),
        ({"applicant_name": ""}, "申请人姓名"),
        ({"id_number": "110105194912310021"}, "证件号码"),
        ({"id_number": "", "phone": ""}, "证件号码或联系电话"),
        ({"phone": "12"}, "联系电话"),
        ({"case_number": "421202-XA-BYQ-261123-9999"}, "没有这个办件"),
        ({"ticket_number": "A001", "case_number": "X"}, "来源只能是一个"),
    ],
)
def test_bad_input_is_refused_with_a_message(
    node: Node, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        opened(node, **fields)
    with read_session(node.engine) as s:
        assert s.exec(select(HardCase)).all() == []


def test_from_a_ticket_only_of_the_hard_case_category(node: Node) -> None:
    operator = Actor.command_line(SITE)
    with write_session(node.engine) as s:
        queue.issue(s, operator, "A", now=MONDAY)
        queue.issue(s, operator, "V", now=MONDAY)
    with pytest.raises(UserError, match="不是“办不成事”类别"):
        opened(node, ticket_number="A001")
    with pytest.raises(UserError, match="今天没有 V009 号"):
        opened(node, ticket_number="V009")
    case = opened(node, ticket_number="v001")
    view = show(node, case.number)
    assert view.origin_label == "取号 V001"


def test_bad_deadlines_and_steps(node: Node) -> None:
    case = opened(node)
    write(node, hc.inform, case.number, "已告知")
    with pytest.raises(UserError, match="1–30 个工作日"):
        write(node, hc.coordinate, case.number, department="县医保局", request="核实", days=0)
    with pytest.raises(UserError, match="请填写协调部门"):
        write(node, hc.coordinate, case.number, department=" ", request="核实")
    with pytest.raises(UserError, match="没有待县民政局答复"):
        write(node, hc.reply, case.number, department="县民政局", text="好")
    with pytest.raises(UserError, match="未知的办理结果"):
        write(node, hc.conclude, case.number, outcome="maybe", explanation="x")
    with pytest.raises(UserError, match="没有这个办不成事记录"):
        write(node, hc.inform, "BC-000000-01", "x")


def test_the_open_list_puts_what_is_due_first(node: Node) -> None:
    first = opened(node, problem="第一件")
    second = opened(node, problem="第二件")
    third = opened(node, problem="第三件")
    for number in (first.number, second.number):
        write(node, hc.inform, number, "已告知")
    write(node, hc.coordinate, first.number, department="甲局", request="r", days=5)
    write(node, hc.coordinate, second.number, department="乙局", request="r", days=1)
    with read_session(node.engine) as s:
        lines = reads.open_hard_cases(s, CLERK, MONDAY.date())
    assert [line.number for line in lines] == [second.number, first.number, third.number]
    with read_session(node.engine) as s:
        lines = reads.open_hard_cases(s, CLERK, date(2026, 11, 25))
    assert lines[0].number == second.number and lines[0].overdue
    assert third.number == "BC-261123-03"
