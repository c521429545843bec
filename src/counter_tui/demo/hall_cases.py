"""The demo hall's cases: one or more in every state of the lifecycle, each taken there step by
step through the services on the days it would have happened, so that its timeline, its
notices and its time limits are the real ones.

The plan below is written out, not drawn: which cases are due today, yellow or red follows from
the working days back each was accepted and its item's committed limit (workdays.sla: yellow
once the committed date has passed, red 3 working days later). Only the people are drawn.
The approvers' two departments are 民政 (MZJ) and 人社 (RSJ) (hall_accounts); a few cases of
other departments wait, unclaimed, for their own back offices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from counter_tui.cases.record import (
    ACCEPTED,
    APPROVED,
    COMPLETED,
    CORRECTION_REQUESTED,
    DELIVERED,
    DENIED,
    HANDED_OFF,
    IN_REVIEW,
    NOTIFIED,
    REFUSED,
    SUSPENDED,
    TERMINATED,
    WITHDRAWN,
)
from counter_tui.demo.hall_accounts import DEPARTMENT_A, DEPARTMENT_B

if TYPE_CHECKING:
    from counter_tui.actor import Actor
    from counter_tui.cases.intake import Intake
    from counter_tui.demo.hall import HallContext
    from counter_tui.demo.hall_people import Person

# Items of the shipped catalog (committed / legal limit in working days).
LINSHI = "11420610MB1044590A40500603000"  # 临时救助 10/20, a deferrable material
GAOLING = "11420610MB1044590A40500604000"  # 高龄津贴申请 10/20
DIBAO = "11420610MB1044590A40500601000"  # 最低生活保障审核确认 20/30
CANJI = "11420610MB1044590A40500605000"  # 困难残疾人生活补贴 15/30
YOUDAI = "11420610MB1044590A42000609000"  # 老年人优待证办理 0/5 (即办件)
YANGLAO = "11420610MB1620375F40500402000"  # 城乡居民基本养老保险待遇申领 10/20
TUIXIU = "11420610MB1620375F40500408000"  # 企业职工养老保险待遇申领（办理退休） 10/20
SANGZANG = "11420610MB1620375F40500403000"  # 丧葬补助金申领 8/15
SHEBAOKA = "11420610MB1620375F42000405000"  # 社会保障卡补领、换领 0/5 (即办件)
JIUYE = "11420610MB1620375F42000406000"  # 灵活就业人员就业登记 0/5 (即办件)
HUKOU = "11420610MB103275X540100306000"  # 户口迁入 5/20 (公安户政)
SHENGYU = "11420610MB1A66043R40500503000"  # 生育津贴申领 10/20 (医保)


@dataclass(frozen=True)
class Planned:
    """A case of the hall: the state it ends in, its item, and the working days back of each
    step (accepted first; the others in the order the state's path takes them)."""

    state: str
    item: str
    accepted: int
    #: Working days back of the later steps, in path order (claim, correction, decision …).
    steps: tuple[int, ...] = ()
    #: What the case shows a trainee (docs/demo.md).
    why: str = ""
    #: Delivered or to be delivered by mail (else collected at the window).
    mail: bool = False
    #: Accepted with a deferred (容缺) material, due back this many working days later.
    deferred: int | None = None


PLAN: tuple[Planned, ...] = (
    Planned(ACCEPTED, YANGLAO, 0, why="今天受理，待移交后台"),
    Planned(ACCEPTED, LINSHI, 0, deferred=5, why="今天容缺受理，待补交材料并移交"),
    Planned(HANDED_OFF, GAOLING, 1, (1,), why="已移交民政，待认领"),
    Planned(HANDED_OFF, SANGZANG, 8, (8,), why="已移交人社，今天到期"),
    Planned(HANDED_OFF, HUKOU, 10, (10,), why="已移交公安户政，红牌"),
    Planned(HANDED_OFF, SHENGYU, 11, (11,), why="已移交医保，黄牌"),
    Planned(IN_REVIEW, CANJI, 3, (3, 2), why="民政审查中"),
    Planned(IN_REVIEW, LINSHI, 10, (10, 9), why="民政审查中，今天到期"),
    Planned(IN_REVIEW, TUIXIU, 12, (12, 11), why="人社审查中，黄牌"),
    Planned(IN_REVIEW, GAOLING, 15, (15, 14), why="民政审查中，红牌"),
    Planned(CORRECTION_REQUESTED, DIBAO, 6, (6, 5, 2), why="待申请人补正材料（暂停计时）"),
    Planned(SUSPENDED, YANGLAO, 5, (5, 4, 1), why="人社中止审查：实地核查"),
    Planned(APPROVED, CANJI, 8, (8, 7, 1), why="民政已准予，待办结"),
    Planned(DENIED, SANGZANG, 7, (7, 6, 1), why="人社不予许可，待办结"),
    Planned(COMPLETED, LINSHI, 9, (9, 8, 3, 2), why="已办结，待申请人到窗口领取"),
    Planned(COMPLETED, TUIXIU, 9, (9, 8, 2, 1), mail=True, why="已办结，待邮寄出件"),
    Planned(COMPLETED, SHEBAOKA, 1, why="即办件已办结，待领取"),
    Planned(DELIVERED, YOUDAI, 2, (2,), why="即办件，当场出件"),
    Planned(DELIVERED, JIUYE, 4, (4,), why="即办件，当场出件"),
    Planned(DELIVERED, GAOLING, 14, (14, 13, 5, 4, 3), mail=True, why="已邮寄出件"),
    Planned(NOTIFIED, DIBAO, 1, why="一次性告知，等申请人带齐材料回来"),
    Planned(NOTIFIED, TUIXIU, 0, why="今天一次性告知"),
    Planned(REFUSED, LINSHI, 2, why="不予受理（户籍不在本区）"),
    Planned(WITHDRAWN, SANGZANG, 4, (4, 2), why="申请人撤回"),
    Planned(TERMINATED, LINSHI, 9, (3,), deferred=5, why="容缺材料逾期未补交，终止办理"),
)

#: Each department's back office.
APPROVERS = {DEPARTMENT_A: "minzheng", DEPARTMENT_B: "renshe"}
#: The clerks who took cases in, in turn.
CLERKS = ("clerk2", "clerk3", "clerk")
REFUSAL = "申请人户籍不在本区，不属于本机关受理范围"
COMPETENT = "申请人户籍所在地乡镇人民政府（街道办事处）"
SUSPENSION = "需实地核查申请人居住和生活情况"
DENIAL = "经核查，申请人不符合丧葬补助金领取条件（参保人生前未按规定缴费）"
WITHDRAWAL = "申请人书面申请撤回"
CARRIER = "中国邮政EMS"


def make_cases(ctx: HallContext) -> None:
    for n, planned in enumerate(PLAN):
        _make(ctx, n, planned)


class _Steps:
    """The working days back of a case's later steps, taken in order."""

    def __init__(self, ctx: HallContext, n: int, planned: Planned) -> None:
        self._ctx, self._n, self._left = ctx, n, list(planned.steps)

    def next(self, hour: int) -> datetime:
        back = self._left.pop(0)
        return self._ctx.at(self._ctx.working_day(back), hour, (self._n * 7) % 50)


def _make(ctx: HallContext, n: int, planned: Planned) -> None:
    from counter_tui.cases import backoffice, commands

    clerk = ctx.actor(CLERKS[n % len(CLERKS)])
    day = ctx.working_day(planned.accepted)
    accepted_at = ctx.at(day, 9, (n * 7) % 50) if planned.accepted else ctx.earlier(45 - n)
    person = ctx.people.person(min_age=60 if planned.item in (GAOLING, YOUDAI) else 18)
    intake = _intake(ctx, planned.item, person)
    if planned.state == NOTIFIED:
        commands.notify(ctx.session, clerk, _missing_one(ctx, intake), now=accepted_at)
        return
    if planned.state == REFUSED:
        commands.refuse(
            ctx.session,
            clerk,
            intake,
            reasons=REFUSAL,
            competent_agency=COMPETENT,
            now=accepted_at,
        )
        return
    if planned.deferred is not None:
        intake = _deferring(ctx, intake, day, planned.deferred)
    case = commands.accept(ctx.session, clerk, intake, now=accepted_at).case
    steps = _Steps(ctx, n, planned)
    state = planned.state
    if state == TERMINATED:
        commands.terminate(ctx.session, clerk, case.id, now=steps.next(15))
        return
    if state == DELIVERED and case.state == COMPLETED:  # an instant item, done at the window
        _deliver(ctx, clerk, case.id, person, planned.mail, steps.next(10))
        return
    if state in (ACCEPTED, COMPLETED) and case.state == state:
        return
    backoffice.hand_off(ctx.session, clerk, case.id, now=steps.next(11))
    if state == HANDED_OFF:
        return
    if state == WITHDRAWN:
        backoffice.withdraw(ctx.session, clerk, case.id, reason=WITHDRAWAL, now=steps.next(14))
        return
    approver = ctx.actor(APPROVERS[case.department])
    backoffice.claim(ctx.session, approver, case.id, now=steps.next(10))
    if state == IN_REVIEW:
        return
    if state == CORRECTION_REQUESTED:
        _request_correction(ctx, approver, case.id, steps.next(15))
        return
    if state == SUSPENDED:
        backoffice.suspend(ctx.session, approver, case.id, reason=SUSPENSION, now=steps.next(15))
        return
    approve = state != DENIED
    _decide(ctx, approver, case.id, case.department, approve=approve, at=steps.next(16))
    if state in (APPROVED, DENIED):
        return
    backoffice.complete(ctx.session, approver, case.id, now=steps.next(16))
    if state == DELIVERED:
        _deliver(ctx, clerk, case.id, person, planned.mail, steps.next(10))


def _intake(ctx: HallContext, code: str, person: Person) -> Intake:
    """An intake of `code` for `person`, complete (demo/intakes.py)."""
    from counter_tui.cases.intake import Party
    from counter_tui.demo.intakes import complete_intake

    party = Party(
        name=person.name, id_number=person.id_number, phone=person.phone, address=person.address
    )
    return complete_intake(ctx.session, code, party)


def _missing_one(ctx: HallContext, intake: Intake) -> Intake:
    """The intake with its last required material not brought: a one-time notice lists it."""
    from counter_tui.cases import commands
    from counter_tui.cases.intake import MISSING, Mark

    required = [
        line
        for line in commands.prepare(ctx.session, intake).lines
        if line.material.mode == "required"
    ]
    kind = required[-1].material.kind
    return intake.with_mark(kind, Mark(MISSING, note="申请人未带，需补齐后再来"))


def _deferring(ctx: HallContext, intake: Intake, accepted: date, days: int) -> Intake:
    """The intake with its first deferrable material deferred (容缺) for `days` working days."""
    from counter_tui.cases import commands
    from counter_tui.cases.intake import DEFERRED, Mark
    from counter_tui.workdays.rules import add_working_days

    line = next(
        line
        for line in commands.prepare(ctx.session, intake).lines
        if line.material.mode == "deferrable"
    )
    until = add_working_days(accepted, days, ctx.calendar)
    return intake.with_mark(line.material.kind, Mark(DEFERRED, until=until))


def _request_correction(ctx: HallContext, approver: Actor, case_id: str, at: datetime) -> None:
    from counter_tui.cases import backoffice
    from counter_tui.cases.reads import require_case
    from counter_tui.workdays.rules import add_working_days

    case = require_case(ctx.session, case_id)
    kind = next(iter(case.intake.marks))
    deadline = add_working_days(at.date(), backoffice.DEFAULT_CORRECTION_DAYS, ctx.calendar)
    backoffice.request_correction(
        ctx.session,
        approver,
        case_id,
        corrections=[(kind, "复印件不清晰，请提供清晰的复印件并核对原件")],
        deadline=deadline,
        now=at,
    )


def _decide(
    ctx: HallContext, approver: Actor, case_id: str, department: str, *, approve: bool, at: datetime
) -> None:
    from counter_tui.cases import backoffice
    from counter_tui.cases.decision_numbers import suggested_number

    number = suggested_number(ctx.session, department, approve=approve, year=at.year)
    if not number:
        prefix = "岘民" if department == DEPARTMENT_A else "岘人社"
        number = f"{prefix}{'准' if approve else '不准'}字〔{at.year}〕第0001号"
    backoffice.decide(
        ctx.session,
        approver,
        case_id,
        approve=approve,
        decision_number=number,
        reason="" if approve else DENIAL,
        now=at,
    )


def _deliver(
    ctx: HallContext, clerk: Actor, case_id: str, person: Person, mail: bool, at: datetime
) -> None:
    from counter_tui.cases import backoffice

    if mail:
        tracking = "".join(str(ctx.rng.randint(0, 9)) for _ in range(13))
        delivery = backoffice.Delivery(
            method="mail", address=person.address, carrier=CARRIER, tracking=tracking
        )
    else:
        delivery = backoffice.Delivery(
            method="pickup", recipient=person.name, recipient_id=person.id_number
        )
    backoffice.deliver(ctx.session, clerk, case_id, delivery, now=at)
