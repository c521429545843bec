"""The window notices: what each must say by law (DOMAIN.md, "Acceptance law" and "Notices"),
as blocks that text.py and pdf.py lay out. Pure: no I/O.

Each builder takes one `NoticeFacts` (facts.py): the case and what the window knows at that
moment. The pieces several notices share are in parts.py.
"""

from __future__ import annotations

from datetime import date

from counter_tui.cases.intake import DEFERRED, MISSING, PENDING
from counter_tui.notices.content import (
    CORRECTION,
    DEFERRAL,
    NOTIFY,
    RECEIPT,
    REFUSAL,
    TERMINATION,
    Block,
    Fields,
    Heading,
    Notice,
    Paragraph,
    Signatures,
    Table,
)
from counter_tui.notices.facts import NoticeFacts
from counter_tui.notices.parts import (
    SEAL,
    committed,
    day,
    deferred_table,
    due_warning,
    entry,
    guide,
    joined,
    limit,
    notice,
    open_situations,
    paragraphs,
    parties,
    phones,
    state,
    time,
    until,
)

INSTANT = "即办件：当场办结"
RIGHTS = (
    "如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议，"
    "或者在六个月内依法向人民法院提起行政诉讼"
    "（《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条）。"
)
ONE_TIME = (
    "根据《中华人民共和国行政许可法》第三十二条，现将您需要补正的全部内容一次性告知如上。"
    "请按清单补齐后再来办理，补齐后即予受理；本告知书所列以外，不再要求您补正其他材料。"
    "再次办理时请携带本告知书。"
)
COMMITMENT = (
    "本人（单位）承诺：已提交的材料真实、有效；上列容缺材料将在补交期限内按要求补交，"
    "补交的材料与已提交材料内容一致，并对其真实性负责。"
)
CONSEQUENCE = (
    "逾期未补交的，窗口将终止办理本申请（终止办理），已受理的申请不再继续办理，"
    "由此产生的后果由申请人承担。"
)
CLOCK_STOPS = "补正期间不计入办理时限，自补正材料提交之日起继续计算。"
CLOCK_RUNS = "补正期间照常计算办理时限。"
UNCORRECTED = "逾期未补正的，本机关将依法作出处理，由此产生的后果由申请人承担。"


def receipt(facts: NoticeFacts) -> Notice:
    """受理通知书: what was accepted, by whom, when it is due, and where to complain."""
    case, chosen = facts.case, facts.chosen
    accepted = case.accepted_at or facts.issued_at
    rows = [
        *parties(case),
        *entry(facts),
        ("办件编号", case.number),
        ("受理时间", time(accepted)),
        ("承诺时限", limit(case.committed_days)),
    ]
    if case.due is not None and case.committed_days:
        rows.append(("办结期限", f"{day(case.due)}前"))
    rows += [
        ("受理机关", facts.issuer),
        ("承办部门", facts.department_name),
        ("受理人", case.clerk),
    ]
    blocks: list[Block] = [Fields(tuple(rows))]
    warning = due_warning(case)
    if warning:
        blocks.append(Paragraph(warning))
    if case.committed_days == 0:
        blocks.append(Paragraph(INSTANT))
    # What the window holds: received, exempt (shared data) or replaced by a commitment.
    settled = [
        (line, mark)
        for line, mark in facts.marked()
        if mark.status not in (DEFERRED, MISSING, PENDING)
        or (mark.status == PENDING and line.material.mode == "exempt")
    ]
    blocks += [
        Heading("【已收材料】"),
        Table(
            ("材料名称", "形式及份数", "收取情况"),
            tuple(
                (line.material.name, line.material.form_label, state(line.material.mode, mark))
                for line, mark in settled
            ),
        ),
    ]
    deferred = facts.deferred()
    if deferred:
        blocks += [Heading("【容缺材料】"), deferred_table(deferred, facts.issuer)]
    blocks += [
        Fields(phones(chosen)),
        Signatures((SEAL, day(facts.issued_at.date()))),
    ]
    return notice(RECEIPT, facts, blocks)


def one_time_notice(facts: NoticeFacts) -> Notice:
    """一次性告知书 (行政许可法第三十二条): the whole guide and all still to bring, at once."""
    case, chosen = facts.case, facts.chosen
    blocks: list[Block] = [
        Fields(
            (
                *parties(case),
                *entry(facts),
                ("办件编号", case.number),
                ("承办部门", facts.department_name),
                ("告知时间", time(facts.issued_at)),
            )
        ),
        Heading("【需补齐的材料】"),
    ]
    lacking = [
        (line, mark)
        for line, mark in facts.marked()
        if mark.status == MISSING or (mark.status == PENDING and line.material.mode != "exempt")
    ]
    if lacking:
        blocks.append(
            Table(
                ("材料名称", "形式及份数", "出具单位", "说明"),
                tuple(
                    (
                        line.material.name,
                        line.material.form_label,
                        line.material.issuer,
                        mark.note or "未提交",
                    )
                    for line, mark in lacking
                ),
            )
        )
    else:
        blocks.append(Paragraph("无。"))
    blocks += open_situations(facts)
    if case.intake.note:
        blocks.append(Paragraph(f"其他说明：{case.intake.note}"))
    blocks += [
        Heading("【申请材料清单】"),
        Table(
            ("材料名称", "形式及份数", "出具单位", "状态"),
            tuple(
                (
                    line.material.name,
                    line.material.form_label,
                    line.material.issuer,
                    state(line.material.mode, mark),
                )
                for line, mark in facts.marked()
            ),
        ),
    ]
    blocks += guide(chosen)
    blocks += [
        Heading("【办理须知】"),
        Fields(
            (
                ("收费标准", joined(chosen, lambda i: i.fee)),
                ("承诺时限", limit(case.committed_days or committed(chosen))),
                ("办理地点", joined(chosen, lambda i: i.location)),
                ("办理时间", joined(chosen, lambda i: i.hours)),
                *phones(chosen),
            )
        ),
        Paragraph(ONE_TIME),
        Signatures(("申请人（签字）：", "窗口人员（签字）：", SEAL, day(facts.issued_at.date()))),
    ]
    return notice(NOTIFY, facts, blocks)


def refusal(facts: NoticeFacts) -> Notice:
    """不予受理通知书: the reasons, the competent agency if it is another, and the rights."""
    case, chosen = facts.case, facts.chosen
    blocks: list[Block] = [
        Fields(
            (
                *parties(case),
                *entry(facts),
                ("办件编号", case.number),
                ("申请时间", time(case.created_at)),
            )
        ),
        Paragraph(f"经审查，您申请办理的“{case.entry_name}”，本机关决定不予受理。"),
        Heading("【不予受理的理由】"),
        *paragraphs(case.refusal_reasons or "—"),
    ]
    if case.competent_agency:
        blocks.append(Paragraph(f"本事项不属于本机关职权范围，请向 {case.competent_agency} 申请。"))
    blocks += [
        Heading("【权利告知】"),
        Paragraph(RIGHTS),
        Fields(phones(chosen)),
        Signatures((SEAL, day(facts.issued_at.date()))),
    ]
    return notice(REFUSAL, facts, blocks)


def deferral(facts: NoticeFacts) -> Notice:
    """容缺受理承诺书, two copies (applicant, file): what to supply, by when, and what follows
    if it is not."""
    case, chosen = facts.case, facts.chosen
    signatures = ["申请人（签字）："]
    if case.intake.agent is not None:
        signatures.append("代办人（签字）：")
    signatures += ["窗口人员（签字）：", day(facts.issued_at.date())]
    blocks: list[Block] = [
        Fields(
            (
                *parties(case),
                *entry(facts),
                ("办件编号", case.number),
                ("受理时间", time(case.accepted_at or facts.issued_at)),
            )
        ),
        Heading("【容缺材料】"),
        deferred_table(facts.deferred(), facts.issuer),
        Heading("【申请人承诺】"),
        Paragraph(COMMITMENT),
        Paragraph(CONSEQUENCE),
        Fields(phones(chosen)),
        Signatures(tuple(signatures)),
    ]
    return notice(DEFERRAL, facts, blocks, copies=2)


def termination(facts: NoticeFacts) -> Notice:
    """终止办理通知书: the deferred materials not supplied in time, the reason, the rights.

    Lapsed means still marked 容缺 with a deadline before the day of the notice.
    """
    case, chosen = facts.case, facts.chosen
    lapsed = [
        (line, mark)
        for line, mark in facts.deferred()
        if mark.until is None or mark.until < facts.issued_at.date()
    ]
    accepted = case.accepted_at or case.created_at
    blocks: list[Block] = [
        Fields(
            (
                *parties(case),
                *entry(facts),
                ("办件编号", case.number),
                ("受理时间", time(accepted)),
            )
        ),
        Paragraph(
            f"您于{day(accepted.date())}申请办理的“{case.entry_name}”，"
            "因下列容缺材料未在承诺期限内补交，本机关决定终止办理。"
        ),
        Heading("【逾期未补交的材料】"),
        Table(
            ("材料名称", "补交期限"),
            tuple((line.material.name, until(mark)) for line, mark in lapsed),
        ),
        Heading("【终止理由】"),
        *paragraphs(case.termination_reason or "容缺材料逾期未补交。"),
        Heading("【权利告知】"),
        Paragraph(RIGHTS),
        Fields(phones(chosen)),
        Signatures((SEAL, day(facts.issued_at.date()))),
    ]
    return notice(TERMINATION, facts, blocks)


def correction(
    facts: NoticeFacts,
    *,
    corrections: list[tuple[str, str]],
    deadline: date,
    clock_stops: bool,
) -> Notice:
    """补正材料通知书: each material to correct (form, count, issuing body, what is wrong), by
    when to bring it to this window, whether the clock stops, and what follows if it is not;
    signed for by the applicant, with the time of delivery written in by hand.

    `corrections` is (material kind, what to correct), in order. A kind not on the checklist is
    still listed, by the kind itself: nothing to correct is ever dropped.
    """
    case, chosen = facts.case, facts.chosen
    by_kind = {line.material.kind: line.material for line in facts.checklist}
    rows: list[tuple[str, str, str, str]] = []
    for kind, reason in corrections:
        found = by_kind.get(kind)
        if found is None:
            rows.append((kind, "—", "", reason or "—"))
        else:
            rows.append((found.name, found.form_label, found.issuer, reason or "—"))
    signatures = ["申请人（签收）："]
    if case.intake.agent is not None:
        signatures.append("代办人（签收）：")
    signatures += ["窗口人员（签字）：", "送达时间：", SEAL, day(facts.issued_at.date())]
    blocks: list[Block] = [
        Fields(
            (
                *parties(case),
                *entry(facts),
                ("办件编号", case.number),
                ("承办部门", facts.department_name),
                ("通知时间", time(facts.issued_at)),
            )
        ),
        Paragraph(f"经审查，您申请办理的“{case.entry_name}”，下列材料需要补正。"),
        Heading("【需补正的材料】"),
        Table(("材料名称", "形式及份数", "出具单位", "补正内容"), tuple(rows)),
        Heading("【补正要求】"),
        Fields((("补正期限", f"{day(deadline)}前"), ("提交地点", f"{facts.issuer}本窗口"))),
        Paragraph(f"请于{day(deadline)}前将上列补正材料提交至{facts.issuer}本窗口。"),
        Paragraph(CLOCK_STOPS if clock_stops else CLOCK_RUNS),
        Paragraph(UNCORRECTED),
        Fields(phones(chosen)),
        Signatures(tuple(signatures)),
    ]
    return notice(CORRECTION, facts, blocks)
