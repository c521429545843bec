"""The window notices, composed from a case: what each must say by law (DOMAIN.md,
"Acceptance law" and "Notices"), as blocks that text.py and pdf.py lay out. Pure: no I/O.

Each function takes the case and what the window knows at that moment (the checklist as marked,
the items' guides, the issuing agency, department names, the time), so the notice can be stored
and reprinted unchanged whatever the catalog later becomes. Personal numbers are masked
(DESIGN §4.8); the applicant's name is printed in full, since the paper is theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from counter_tui.applicants import id_type_label, mask_id, mask_phone
from counter_tui.cases.intake import (
    DEFERRED,
    MARK_LABELS,
    MISSING,
    ORGANISATION,
    PENDING,
    RECEIVED,
    Mark,
)
from counter_tui.cases.record import CaseRecord
from counter_tui.catalog.model import Item
from counter_tui.catalog.rules import ChecklistLine, unanswered
from counter_tui.clock import to_local
from counter_tui.notices.content import (
    CORRECTION,
    DEFERRAL,
    NOTIFY,
    NUMBER_SUFFIX,
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
from counter_tui.workdays.rules import DueDate

SEAL = "（受理专用章）"
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


def receipt(
    case: CaseRecord,
    *,
    checklist: list[ChecklistLine],
    items: dict[str, Item],
    issuer: str,
    departments: dict[str, str],
    issued_at: datetime,
) -> Notice:
    """受理通知书: what was accepted, by whom, when it is due, and where to complain."""
    chosen = _items(case, items)
    accepted = case.accepted_at or issued_at
    rows = [
        *_parties(case),
        *_entry(case, chosen),
        ("办件编号", case.number),
        ("受理时间", _time(accepted)),
        ("承诺时限", _limit(case.committed_days)),
    ]
    if case.due is not None and case.committed_days:
        rows.append(("办结期限", f"{_day(case.due)}前"))
    rows += [
        ("受理机关", issuer),
        ("承办部门", departments.get(case.department, case.department)),
        ("受理人", case.clerk),
    ]
    blocks: list[Block] = [Fields(tuple(rows))]
    warning = _due_warning(case)
    if warning:
        blocks.append(Paragraph(warning))
    if case.committed_days == 0:
        blocks.append(Paragraph(INSTANT))
    # What the window holds: received, exempt (shared data) or replaced by a commitment.
    settled = [
        (line, mark)
        for line, mark in _marked(case, checklist)
        if mark.status not in (DEFERRED, MISSING, PENDING)
        or (mark.status == PENDING and line.material.mode == "exempt")
    ]
    blocks += [
        Heading("【已收材料】"),
        Table(
            ("材料名称", "形式及份数", "收取情况"),
            tuple(
                (line.material.name, line.material.form_label, _state(line.material.mode, mark))
                for line, mark in settled
            ),
        ),
    ]
    deferred = _deferred(case, checklist)
    if deferred:
        blocks += [Heading("【容缺材料】"), _deferred_table(deferred, issuer)]
    blocks += [
        Fields(_phones(chosen)),
        Signatures((SEAL, _day(issued_at.date()))),
    ]
    return _notice(RECEIPT, case, issuer, issued_at, blocks)


def one_time_notice(
    case: CaseRecord,
    *,
    checklist: list[ChecklistLine],
    items: dict[str, Item],
    issuer: str,
    departments: dict[str, str],
    issued_at: datetime,
) -> Notice:
    """一次性告知书 (行政许可法第三十二条): the whole guide and all still to bring, at once."""
    chosen = _items(case, items)
    blocks: list[Block] = [
        Fields(
            (
                *_parties(case),
                *_entry(case, chosen),
                ("办件编号", case.number),
                ("承办部门", departments.get(case.department, case.department)),
                ("告知时间", _time(issued_at)),
            )
        ),
        Heading("【需补齐的材料】"),
    ]
    lacking = [
        (line, mark)
        for line, mark in _marked(case, checklist)
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
    blocks += _open_situations(chosen, case)
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
                    _state(line.material.mode, mark),
                )
                for line, mark in _marked(case, checklist)
            ),
        ),
    ]
    blocks += _guide(chosen)
    blocks += [
        Heading("【办理须知】"),
        Fields(
            (
                ("收费标准", _joined(chosen, lambda i: i.fee)),
                ("承诺时限", _limit(case.committed_days or _committed(chosen))),
                ("办理地点", _joined(chosen, lambda i: i.location)),
                ("办理时间", _joined(chosen, lambda i: i.hours)),
                *_phones(chosen),
            )
        ),
        Paragraph(ONE_TIME),
        Signatures(("申请人（签字）：", "窗口人员（签字）：", SEAL, _day(issued_at.date()))),
    ]
    return _notice(NOTIFY, case, issuer, issued_at, blocks)


def refusal(
    case: CaseRecord,
    *,
    checklist: list[ChecklistLine],
    items: dict[str, Item],
    issuer: str,
    departments: dict[str, str],
    issued_at: datetime,
) -> Notice:
    """不予受理通知书: the reasons, the competent agency if it is another, and the rights."""
    chosen = _items(case, items)
    blocks: list[Block] = [
        Fields(
            (
                *_parties(case),
                *_entry(case, chosen),
                ("办件编号", case.number),
                ("申请时间", _time(case.created_at)),
            )
        ),
        Paragraph(f"经审查，您申请办理的“{case.entry_name}”，本机关决定不予受理。"),
        Heading("【不予受理的理由】"),
        *_paragraphs(case.refusal_reasons or "—"),
    ]
    if case.competent_agency:
        blocks.append(Paragraph(f"本事项不属于本机关职权范围，请向 {case.competent_agency} 申请。"))
    blocks += [
        Heading("【权利告知】"),
        Paragraph(RIGHTS),
        Fields(_phones(chosen)),
        Signatures((SEAL, _day(issued_at.date()))),
    ]
    return _notice(REFUSAL, case, issuer, issued_at, blocks)


def deferral(
    case: CaseRecord,
    *,
    checklist: list[ChecklistLine],
    items: dict[str, Item],
    issuer: str,
    departments: dict[str, str],
    issued_at: datetime,
) -> Notice:
    """容缺受理承诺书, two copies (applicant, file): what to supply, by when, and what follows
    if it is not."""
    chosen = _items(case, items)
    signatures = ["申请人（签字）："]
    if case.intake.agent is not None:
        signatures.append("代办人（签字）：")
    signatures += ["窗口人员（签字）：", _day(issued_at.date())]
    blocks: list[Block] = [
        Fields(
            (
                *_parties(case),
                *_entry(case, chosen),
                ("办件编号", case.number),
                ("受理时间", _time(case.accepted_at or issued_at)),
            )
        ),
        Heading("【容缺材料】"),
        _deferred_table(_deferred(case, checklist), issuer),
        Heading("【申请人承诺】"),
        Paragraph(COMMITMENT),
        Paragraph(CONSEQUENCE),
        Fields(_phones(chosen)),
        Signatures(tuple(signatures)),
    ]
    return _notice(DEFERRAL, case, issuer, issued_at, blocks, copies=2)


def termination(
    case: CaseRecord,
    *,
    checklist: list[ChecklistLine],
    items: dict[str, Item],
    issuer: str,
    departments: dict[str, str],
    issued_at: datetime,
) -> Notice:
    """终止办理通知书: the deferred materials not supplied in time, the reason, the rights.

    Lapsed means still marked 容缺 with a deadline before the day of the notice.
    """
    chosen = _items(case, items)
    lapsed = [
        (line, mark)
        for line, mark in _deferred(case, checklist)
        if mark.until is None or mark.until < issued_at.date()
    ]
    accepted = case.accepted_at or case.created_at
    blocks: list[Block] = [
        Fields(
            (
                *_parties(case),
                *_entry(case, chosen),
                ("办件编号", case.number),
                ("受理时间", _time(accepted)),
            )
        ),
        Paragraph(
            f"您于{_day(accepted.date())}申请办理的“{case.entry_name}”，"
            "因下列容缺材料未在承诺期限内补交，本机关决定终止办理。"
        ),
        Heading("【逾期未补交的材料】"),
        Table(
            ("材料名称", "补交期限"),
            tuple((line.material.name, _until(mark)) for line, mark in lapsed),
        ),
        Heading("【终止理由】"),
        *_paragraphs(case.termination_reason or "容缺材料逾期未补交。"),
        Heading("【权利告知】"),
        Paragraph(RIGHTS),
        Fields(_phones(chosen)),
        Signatures((SEAL, _day(issued_at.date()))),
    ]
    return _notice(TERMINATION, case, issuer, issued_at, blocks)


def correction(
    case: CaseRecord,
    *,
    checklist: list[ChecklistLine],
    items: dict[str, Item],
    issuer: str,
    departments: dict[str, str],
    issued_at: datetime,
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
    chosen = _items(case, items)
    by_kind = {line.material.kind: line.material for line in checklist}
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
    signatures += ["窗口人员（签字）：", "送达时间：", SEAL, _day(issued_at.date())]
    blocks: list[Block] = [
        Fields(
            (
                *_parties(case),
                *_entry(case, chosen),
                ("办件编号", case.number),
                ("承办部门", departments.get(case.department, case.department)),
                ("通知时间", _time(issued_at)),
            )
        ),
        Paragraph(f"经审查，您申请办理的“{case.entry_name}”，下列材料需要补正。"),
        Heading("【需补正的材料】"),
        Table(("材料名称", "形式及份数", "出具单位", "补正内容"), tuple(rows)),
        Heading("【补正要求】"),
        Fields((("补正期限", f"{_day(deadline)}前"), ("提交地点", f"{issuer}本窗口"))),
        Paragraph(f"请于{_day(deadline)}前将上列补正材料提交至{issuer}本窗口。"),
        Paragraph(CLOCK_STOPS if clock_stops else CLOCK_RUNS),
        Paragraph(UNCORRECTED),
        Fields(_phones(chosen)),
        Signatures(tuple(signatures)),
    ]
    return _notice(CORRECTION, case, issuer, issued_at, blocks)


# --- parts --------------------------------------------------------------------------------------


def _notice(
    kind: str,
    case: CaseRecord,
    issuer: str,
    issued_at: datetime,
    blocks: list[Block],
    copies: int = 1,
) -> Notice:
    number = f"{case.number}-{NUMBER_SUFFIX[kind]}"
    return Notice(kind, number, issuer, issued_at, tuple(blocks), copies)


def _open_situations(chosen: list[Item], case: CaseRecord) -> list[Block]:
    """The 办理情形 still unanswered when the notice is issued, with what each answer adds:
    the notice must tell everything at once, whichever way the applicant's case turns out."""
    rows = []
    for item, situation in unanswered(chosen, case.intake.answer_map()):
        names = {m.id: m.name for m in item.materials}
        for option in situation.options:
            adds = "、".join(names.get(m, m) for m in option.adds) or "无"
            rows.append((situation.question, option.answer, adds))
    if not rows:
        return []
    return [Heading("【视办理情形还须提交】"), Table(("办理情形", "如为", "还须提交"), tuple(rows))]


def _items(case: CaseRecord, items: dict[str, Item]) -> list[Item]:
    return [items[code] for code in case.item_codes if code in items]


def _parties(case: CaseRecord) -> list[tuple[str, str]]:
    party = case.intake.applicant
    rows = [("申请人", party.name)]
    if party.kind == ORGANISATION:
        rows.append(("统一社会信用代码", mask_id(party.uscc)))
        if party.legal_rep:
            rows.append(("法定代表人", party.legal_rep))
    elif party.id_number:
        rows.append(("证件", f"{id_type_label(party.id_type)} {mask_id(party.id_number)}"))
    if party.phone:
        rows.append(("联系电话", mask_phone(party.phone)))
    agent = case.intake.agent
    if agent is not None and agent.name:
        rows.append(("代办人", agent.name))
        if agent.id_number:
            rows.append(
                ("代办人证件", f"{id_type_label(agent.id_type)} {mask_id(agent.id_number)}")
            )
        if agent.phone:
            rows.append(("代办人电话", mask_phone(agent.phone)))
        if agent.authorisation:
            rows.append(("授权委托", agent.authorisation))
    return rows


def _entry(case: CaseRecord, chosen: list[Item]) -> list[tuple[str, str]]:
    rows = [("办理事项", case.entry_name)]
    if case.entry_kind == "bundle" and chosen:
        rows.append(("包含事项", "、".join(item.name for item in chosen)))
    return rows


def _marked(case: CaseRecord, checklist: list[ChecklistLine]) -> list[tuple[ChecklistLine, Mark]]:
    marks = case.intake.marks
    return [(line, marks.get(line.material.kind, Mark())) for line in checklist]


def _deferred(case: CaseRecord, checklist: list[ChecklistLine]) -> list[tuple[ChecklistLine, Mark]]:
    return [(line, mark) for line, mark in _marked(case, checklist) if mark.status == DEFERRED]


def _deferred_table(deferred: list[tuple[ChecklistLine, Mark]], issuer: str) -> Table:
    return Table(
        ("材料名称", "补交期限", "补交方式"),
        tuple(
            (
                line.material.name,
                _until(mark),
                f"到{issuer}本窗口提交，{line.material.form_label}",
            )
            for line, mark in deferred
        ),
    )


def _received(mark: Mark) -> str:
    if mark.status != RECEIVED:
        return MARK_LABELS.get(mark.status, mark.status)
    parts = ["原件已核验"] if mark.original_seen else []
    if mark.copies_kept:
        parts.append(f"留存复印件 {mark.copies_kept} 份")
    return "、".join(parts) or "已收"


def _state(mode: str, mark: Mark) -> str:
    if mark.status == PENDING and mode == "exempt":
        return "免提交"
    if mark.status == RECEIVED:
        return _received(mark)
    return MARK_LABELS.get(mark.status, mark.status)


def _guide(chosen: list[Item]) -> list[Block]:
    """Legal basis, conditions and steps of each item (a bundle names the item before each)."""
    named = len(chosen) > 1
    blocks: list[Block] = []
    for heading, part in (("【办理依据】", "legal_basis"), ("【受理条件】", "conditions")):
        blocks.append(Heading(heading))
        for item in chosen:
            text = getattr(item, part) or "—"
            blocks.append(Paragraph(f"{item.name}：{text}" if named else text))
    blocks.append(Heading("【办理流程】"))
    for item in chosen:
        if named:
            blocks.append(Paragraph(f"{item.name}："))
        blocks += [Paragraph(f"{n}. {step}") for n, step in enumerate(item.steps, start=1)]
    return blocks


def _phones(chosen: list[Item]) -> tuple[tuple[str, str], ...]:
    return (
        ("咨询电话", _joined(chosen, lambda i: i.phone)),
        ("监督投诉电话", _joined(chosen, lambda i: i.supervision_phone)),
    )


def _joined(chosen: Iterable[Item], value: Callable[[Item], str]) -> str:
    """The distinct values over the items, in order: one line for a bundle's shared phone."""
    seen: list[str] = []
    for item in chosen:
        text = value(item).strip()
        if text and text not in seen:
            seen.append(text)
    return "；".join(seen) or "—"


def _committed(chosen: list[Item]) -> int:
    return max((item.committed_limit_days for item in chosen), default=0)


def _limit(days: int) -> str:
    return f"{days} 个工作日" if days else "即办件（当场办结）"


def _due_warning(case: CaseRecord) -> str | None:
    if case.due is None or not case.due_provisional:
        return None
    return DueDate(case.due, case.due_unofficial_years).warning()


def _until(mark: Mark) -> str:
    return f"{_day(mark.until)}前" if mark.until else "—"


def _paragraphs(text: str) -> list[Block]:
    return [Paragraph(part) for part in text.split("\n") if part.strip()]


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _time(at: datetime) -> str:
    at = to_local(at)  # the hall's clock, whatever zone the time was read in
    return f"{_day(at.date())} {at:%H:%M}"
