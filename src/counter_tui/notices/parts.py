"""The pieces several notices share: the parties, the entry, the phones, the deferred-materials
table, the guide, and how dates, times and material states are written. Pure: no I/O.

Personal numbers are masked (DESIGN §4.8); the applicant's name is printed in full, since the
paper is theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

from counter_tui.applicants import id_type_label, mask_id, mask_phone
from counter_tui.cases.intake import MARK_LABELS, ORGANISATION, PENDING, RECEIVED, Mark
from counter_tui.cases.record import CaseRecord
from counter_tui.catalog.model import Item
from counter_tui.catalog.rules import ChecklistLine, unanswered
from counter_tui.clock import to_local
from counter_tui.notices.content import (
    NUMBER_SUFFIX,
    Block,
    Heading,
    Notice,
    Paragraph,
    Table,
)
from counter_tui.notices.facts import NoticeFacts
from counter_tui.workdays.rules import DueDate

SEAL = "（受理专用章）"


def notice(kind: str, facts: NoticeFacts, blocks: Sequence[Block], copies: int = 1) -> Notice:
    """The notice of `kind` for the case, numbered `<case number>-<suffix>`."""
    number = f"{facts.case.number}-{NUMBER_SUFFIX[kind]}"
    blocks = tuple(blocks)
    return Notice(kind, number, facts.issuer, facts.issued_at, blocks, copies, facts.training)


def parties(case: CaseRecord) -> list[tuple[str, str]]:
    """The applicant (an organisation with its legal representative) and the agent."""
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


def entry(facts: NoticeFacts) -> list[tuple[str, str]]:
    """The item or bundle applied for; a bundle also names its items."""
    case, chosen = facts.case, facts.chosen
    rows = [("办理事项", case.entry_name)]
    if case.entry_kind == "bundle" and chosen:
        rows.append(("包含事项", "、".join(item.name for item in chosen)))
    return rows


def open_situations(facts: NoticeFacts) -> list[Block]:
    """The 办理情形 still unanswered when the notice is issued, with what each answer adds:
    the notice must tell everything at once, whichever way the applicant's case turns out."""
    rows = []
    for item, situation in unanswered(facts.chosen, facts.case.intake.answer_map()):
        names = {m.id: m.name for m in item.materials}
        for option in situation.options:
            adds = "、".join(names.get(m, m) for m in option.adds) or "无"
            rows.append((situation.question, option.answer, adds))
    if not rows:
        return []
    return [Heading("【视办理情形还须提交】"), Table(("办理情形", "如为", "还须提交"), tuple(rows))]


def deferred_table(deferred: list[tuple[ChecklistLine, Mark]], issuer: str) -> Table:
    """Each 容缺 material with its deadline and how to supply it."""
    return Table(
        ("材料名称", "补交期限", "补交方式"),
        tuple(
            (
                line.material.name,
                until(mark),
                f"到{issuer}本窗口提交，{line.material.form_label}",
            )
            for line, mark in deferred
        ),
    )


def state(mode: str, mark: Mark) -> str:
    """A material's state as printed: 免提交 for an exempt one left unchecked."""
    if mark.status == PENDING and mode == "exempt":
        return "免提交"
    if mark.status == RECEIVED:
        return _received(mark)
    return MARK_LABELS.get(mark.status, mark.status)


def _received(mark: Mark) -> str:
    if mark.status != RECEIVED:
        return MARK_LABELS.get(mark.status, mark.status)
    parts = ["原件已核验"] if mark.original_seen else []
    if mark.copies_kept:
        parts.append(f"留存复印件 {mark.copies_kept} 份")
    return "、".join(parts) or "已收"


def guide(chosen: list[Item]) -> list[Block]:
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


def phones(chosen: list[Item]) -> tuple[tuple[str, str], ...]:
    """The consultation and supervision phones, every notice's last fields."""
    return (
        ("咨询电话", joined(chosen, lambda i: i.phone)),
        ("监督投诉电话", joined(chosen, lambda i: i.supervision_phone)),
    )


def joined(chosen: Iterable[Item], value: Callable[[Item], str]) -> str:
    """The distinct values over the items, in order: one line for a bundle's shared phone."""
    seen: list[str] = []
    for item in chosen:
        text = value(item).strip()
        if text and text not in seen:
            seen.append(text)
    return "；".join(seen) or "—"


def committed(chosen: list[Item]) -> int:
    """A bundle's committed limit: the largest of its items'."""
    return max((item.committed_limit_days for item in chosen), default=0)


def limit(days: int) -> str:
    return f"{days} 个工作日" if days else "即办件（当场办结）"


def due_warning(case: CaseRecord) -> str | None:
    """The 暂定 remark of a due date that counts through a year not yet official."""
    if case.due is None or not case.due_provisional:
        return None
    return DueDate(case.due, case.due_unofficial_years).warning()


def until(mark: Mark) -> str:
    return f"{day(mark.until)}前" if mark.until else "—"


def paragraphs(text: str) -> list[Block]:
    """One paragraph per non-blank line of text the clerk typed."""
    return [Paragraph(part) for part in text.split("\n") if part.strip()]


def day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def time(at: datetime) -> str:
    at = to_local(at)  # the hall's clock, whatever zone the time was read in
    return f"{day(at.date())} {at:%H:%M}"
