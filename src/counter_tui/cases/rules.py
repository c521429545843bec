"""Intake rules: case numbers, the marked checklist and the mark each key gives, what blocks
acceptance, and the applicant's fields. Pure: no I/O; the service and the intake screen both
call these, so the form and the service can never disagree about what is allowed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from counter_tui.applicants import (
    Checked,
    check_address,
    check_id_number,
    check_name,
    check_phone,
)
from counter_tui.applicants.identity import check_uscc
from counter_tui.cases import events as ev
from counter_tui.cases.intake import (
    COMMITTED,
    DEFERRED,
    EXEMPT,
    MARK_LABELS,
    MISSING,
    ORGANISATION,
    PENDING,
    RECEIVED,
    Agent,
    Intake,
    Mark,
    Party,
)
from counter_tui.catalog.model import Item, Material, Situation
from counter_tui.catalog.rules import ChecklistLine, answer_of, checklist, unanswered

# --- case numbers --------------------------------------------------------------------------


def case_number(site: str, day: date, sequence: int) -> str:
    """421202-XA-BYQ-261122-0007: the whole site code, the date as yymmdd, four digits per site
    and day. Villages number offline without collisions, and site codes are unique across a hub
    (county or province), so numbers are too. Numbers given before issue 14 dropped the division
    code and had an eight-digit date (XA-BYQ-20261122-0007); they are kept as they are, and no
    new number can equal one: the second-last part of an old number has eight digits, of a new
    one six."""
    return f"{number_stem(site, day)}{sequence:04d}"


def number_stem(site: str, day: date) -> str:
    """What every number of `site` and `day` starts with: the sequence follows it."""
    return f"{site}-{day:%y%m%d}-"


# --- the marked checklist ------------------------------------------------------------------


def allowed_statuses(material: Material) -> tuple[str, ...]:
    """What the clerk may mark this material, by the catalog's mode for it."""
    statuses = [RECEIVED, MISSING]
    if material.mode == "deferrable":
        statuses.append(DEFERRED)
    if material.mode == "commitment":
        statuses.append(COMMITTED)
    if material.mode == "exempt":
        statuses.append(EXEMPT)
    return tuple(statuses)


def status_refusal(material: Material, status: str) -> str | None:
    """Why `status` is not allowed for `material`, in the clerk's words; None when it is."""
    if status in allowed_statuses(material) or status == PENDING:
        return None
    if status == DEFERRED:
        return f"“{material.name}”不可容缺：目录未将其列为可容缺材料"
    if status == COMMITTED:
        return f"“{material.name}”不适用告知承诺"
    if status == EXEMPT:
        return f"“{material.name}”不可免提交：目录未列共享数据来源"
    return f"未知的材料状态：{status}"


@dataclass(frozen=True)
class MarkedLine:
    """A checklist line with the clerk's mark (an exempt material is exempt until marked)."""

    line: ChecklistLine
    mark: Mark

    @property
    def material(self) -> Material:
        return self.line.material

    @property
    def status(self) -> str:
        return self.mark.status

    @property
    def label(self) -> str:
        return MARK_LABELS[self.mark.status]

    @property
    def settled(self) -> bool:
        """Received, deferred, under commitment or exempt: it does not block acceptance."""
        return self.mark.status in (RECEIVED, DEFERRED, COMMITTED, EXEMPT)


def marked(lines: Sequence[ChecklistLine], intake: Intake) -> list[MarkedLine]:
    out = []
    for line in lines:
        mark = intake.marks.get(line.material.kind)
        if mark is None:
            mark = Mark(status=EXEMPT if line.material.mode == "exempt" else PENDING)
        out.append(MarkedLine(line, mark))
    return out


def unsettled(lines: Sequence[MarkedLine]) -> list[MarkedLine]:
    """What the one-time notice lists: every material neither received nor otherwise settled."""
    return [line for line in lines if not line.settled]


def acceptance_problems(lines: Sequence[MarkedLine], due: date | None, today: date) -> list[str]:
    """Why the case cannot be accepted yet; empty when it can."""
    problems = []
    missing = unsettled(lines)
    if missing:
        names = "、".join(line.material.name for line in missing)
        problems.append(f"材料未齐，不能受理：{names}（可出具一次性告知书）")
    for line in lines:
        refusal = status_refusal(line.material, line.status)
        if refusal:
            problems.append(refusal)
        if line.status == DEFERRED:
            problem = deferral_problem(line.material, line.mark.until, due=due, today=today)
            if problem:
                problems.append(problem)
    return problems


#: The catalog's id of the 委托代理 question ("是否委托他人代为办理？", docs/catalog-format.md).
AGENT_SITUATION = "agent"


def situation_problems(items: Sequence[Item], intake: Intake) -> list[str]:
    """Why the 办理情形 block acceptance: a question with no answer in force (neither the
    clerk's nor the catalog's default), since its materials would silently drop out; and a
    委托代理 question left at its default while the form names an agent (代办人)."""
    answers = intake.answer_map()
    problems = []
    missing = unanswered(items, answers)
    if missing:
        questions = "、".join(f"“{situation.question}”" for _, situation in missing)
        problems.append(f"办理情形未回答，不能受理：{questions}（在清单中按空格选择答案）")
    if intake.agent is not None:
        for item in items:
            for situation in item.situations:
                chosen, by_default = answer_of(item, situation, answers)
                if situation.id == AGENT_SITUATION and by_default:
                    problems.append(
                        f"已登记代办人：请回答“{situation.question}”（现为默认的“{chosen}”）"
                    )
    return problems


def deferral_problem(
    material: Material, until: date | None, *, due: date | None, today: date
) -> str | None:
    """A deferred material needs a deadline after today and no later than the due date."""
    if until is None:
        return f"“{material.name}”容缺：请填写补交期限"
    if until <= today:
        return f"“{material.name}”容缺：补交期限应晚于今天"
    if due is not None and until > due:
        return f"“{material.name}”容缺：补交期限不得晚于承诺办结日期 {due.isoformat()}"
    return None


def settle_marks(intake: Intake, lines: Sequence[MarkedLine]) -> Intake:
    """Write the default marks (exempt materials) into the intake, as issued on the notices."""
    marks = {line.material.kind: line.mark for line in lines}
    return replace(intake, marks=marks)


# --- the clerk's keys on the checklist ------------------------------------------------------


def marked_checklist(items: Sequence[Item], intake: Intake) -> list[MarkedLine]:
    """The checklist as the intake's situation answers make it, with the clerk's marks."""
    return marked(checklist(items, intake.answer_map()), intake)


def mark_as(line: MarkedLine, status: str, *, due: date | None) -> Mark:
    """The mark one key gives a material. Received means the original seen (where the guide asks
    for one) and the guide's copies kept; 容缺 runs to the committed due date until the clerk
    sets an earlier deadline (a deadline set before is kept); the note stays whatever the mark."""
    until = line.mark.until
    if status == DEFERRED and until is None:
        until = due
    return Mark(
        status=status,
        original_seen=status == RECEIVED and line.material.originals > 0,
        copies_kept=line.material.copies if status == RECEIVED else 0,
        until=until if status == DEFERRED else None,
        note=line.mark.note,
    )


def all_received(lines: Sequence[MarkedLine]) -> dict[str, Mark]:
    """全收: every material not yet checked becomes received; what the clerk marked otherwise
    (容缺, 缺, 免提交 …) keeps its mark. Returns the new marks by material kind."""
    return {
        line.material.kind: mark_as(line, RECEIVED, due=None)
        for line in lines
        if line.status == PENDING
    }


def next_answer(situation: Situation, chosen: str | None) -> str:
    """The answer the clerk's key moves a 办理情形 to: the option after the one in force (the
    clerk's, else the catalog's default), round the options; the first when none is."""
    options = [option.answer for option in situation.options]
    current = chosen or situation.default or None
    if current in options:
        return options[(options.index(current) + 1) % len(options)]
    return options[0]


# --- visits (最多跑一次) ---------------------------------------------------------------------

#: Steps that need the applicant (or whoever acts for them) at the window: every intake outcome,
#: bringing corrected papers, bringing a deferred material. Collecting the result in person is
#: one too (see visit_day); deciding, completing, delivering by mail or electronically are not.
VISIT_EVENTS = frozenset(
    {
        ev.CASE_NOTIFIED,
        ev.CASE_ACCEPTED,
        ev.CASE_REFUSED,
        ev.CASE_RESUBMITTED,
        ev.CASE_MATERIAL_SUPPLIED,
    }
)


def visit_day(event_type: str, payload: Mapping[str, Any]) -> date | None:
    """The local day on which this step had the applicant at the window, or None.

    A visit is the applicant's presence at the window on one local day: several steps of one
    case on the same day (accepted, then a 即办件 collected; notified, then accepted after a
    trip home for the papers) are one visit, since nothing records that they left the hall in
    between. The day is the event's own time in its own offset (the hall's), so replay on a
    machine in another zone counts the same visits.
    """
    if event_type == ev.CASE_DELIVERED:
        if payload["delivery"]["method"] != "pickup":
            return None
    elif event_type not in VISIT_EVENTS:
        return None
    return datetime.fromisoformat(payload["at"]).date()


def is_new_visit(last_visit_on: date | None, day: date) -> bool:
    """Whether a step on `day` is another trip, after a last visit on `last_visit_on`."""
    return last_visit_on != day


# --- the applicant -------------------------------------------------------------------------

#: Field ids, as the intake form names its inputs.
APPLICANT_FIELDS = (
    "applicant.name",
    "applicant.id_number",
    "applicant.uscc",
    "applicant.legal_rep",
    "applicant.legal_rep_id_number",
    "applicant.phone",
    "applicant.address",
    "agent.name",
    "agent.id_number",
    "agent.phone",
    "agent.authorisation",
)


@dataclass(frozen=True)
class CheckedParties:
    """The applicant and agent as normalised, the problem of each bad field, and the warnings
    the clerk has yet to confirm: confirmation token ("field id=value") → message."""

    applicant: Party
    agent: Agent | None
    problems: dict[str, str]
    warnings: dict[str, str] = field(default_factory=dict)


def confirmation_token(field_id: str, value: str) -> str:
    """What Intake.confirmed holds for one confirmed warning: the field and the value seen."""
    return f"{field_id}={value}"


def token_field(token: str) -> str:
    return token.partition("=")[0]


def _labelled(problem: str | None, whose: str) -> str | None:
    """请填写居民身份证号码 → 请填写法定代表人的居民身份证号码: whose number is meant."""
    if problem and problem.startswith("请填写"):
        return f"请填写{whose}的{problem[3:]}"
    return problem


def check_parties(
    applicant: Party,
    agent: Agent | None,
    *,
    today: date,
    confirmed: Collection[str] = (),
) -> CheckedParties:
    """Check every field at once, so the form can show each message at its field. A value
    that passes with a warning (Checked.warning) is listed in `warnings` until `confirmed`
    holds its token."""
    problems: dict[str, str] = {}
    warnings: dict[str, str] = {}

    def take(field_id: str, checked_value: str | None, problem: str | None, raw: str) -> str:
        if problem:
            problems[field_id] = problem
            return raw
        return checked_value or ""

    def warn(field_id: str, checked: Checked, whose: str = "") -> None:
        if checked.ok and checked.warning and checked.value:
            token = confirmation_token(field_id, checked.value)
            if token not in confirmed:
                warnings[token] = f"{whose}{checked.warning}"

    if applicant.kind == ORGANISATION:
        name = check_name(applicant.name, organisation=True, label="单位名称")
        uscc = check_uscc(applicant.uscc)
        rep = check_name(applicant.legal_rep, label="法定代表人")
        rep_number = check_id_number(
            applicant.legal_rep_id_type, applicant.legal_rep_id_number, today=today
        )
        applicant = replace(
            applicant,
            name=take("applicant.name", name.value, name.problem, applicant.name),
            uscc=take("applicant.uscc", uscc.value, uscc.problem, applicant.uscc),
            legal_rep=take("applicant.legal_rep", rep.value, rep.problem, applicant.legal_rep),
            legal_rep_id_number=take(
                "applicant.legal_rep_id_number",
                rep_number.value,
                _labelled(rep_number.problem, "法定代表人"),
                applicant.legal_rep_id_number,
            ),
            id_number="",
        )
        warn("applicant.legal_rep_id_number", rep_number, "法定代表人")
    else:
        name = check_name(applicant.name, label="姓名")
        number = check_id_number(applicant.id_type, applicant.id_number, today=today)
        applicant = replace(
            applicant,
            name=take("applicant.name", name.value, name.problem, applicant.name),
            id_number=take(
                "applicant.id_number", number.value, number.problem, applicant.id_number
            ),
            uscc="",
            legal_rep="",
            legal_rep_id_number="",
        )
        warn("applicant.id_number", number)
    phone = check_phone(applicant.phone)
    applicant = replace(
        applicant, phone=take("applicant.phone", phone.value, phone.problem, applicant.phone)
    )
    if applicant.address.strip():
        address = check_address(applicant.address)
        applicant = replace(
            applicant,
            address=take("applicant.address", address.value, address.problem, applicant.address),
        )
    if agent is not None:
        agent_name = check_name(agent.name, label="代办人姓名")
        agent_number = check_id_number(agent.id_type, agent.id_number, today=today)
        agent_phone = check_phone(agent.phone)
        authorisation = agent.authorisation.strip()
        if not authorisation:
            problems["agent.authorisation"] = "代办须有授权：请填写授权委托书等授权材料"
        agent = replace(
            agent,
            name=take("agent.name", agent_name.value, agent_name.problem, agent.name),
            id_number=take(
                "agent.id_number", agent_number.value, agent_number.problem, agent.id_number
            ),
            phone=take("agent.phone", agent_phone.value, agent_phone.problem, agent.phone),
            authorisation=authorisation,
        )
        warn("agent.id_number", agent_number, "代办人")
    return CheckedParties(applicant, agent, problems, warnings)
