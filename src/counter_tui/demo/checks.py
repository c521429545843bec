"""The check vocabulary: what a scenario's `check:` and `mistake:` lines may say, matched
against one journal event at a time (docs/scenarios.md lists them with their parameters).

A check is matched against the JOURNAL, never the screen: an event the trainee's action
recorded proves the step, whichever screen or key made it. `event TYPE field=value` covers any
event; the named checks say the common steps in the trainer's words and look into nested
payloads (a deferred material, the missing list of a one-time notice) that a flat field cannot.
A matched check remembers the thing it found (`as=NAME`: a case, a ticket, a rating), so that a
later line can ask for "the same case" (`case=NAME`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from counter_tui.demo.scenario import Clause

YES = {"yes", "true", "是"}
NO = {"no", "false", "否"}

#: The payload fields that name what an event is about, in the order tried (`as=` binds it).
SUBJECT_FIELDS = ("case_id", "ticket_id", "rating_id", "appointment_id", "hard_case_id")


@dataclass(frozen=True)
class Seen:
    """One journal event as a check sees it: its commit order, type, actor and payload (the
    stored JSON, as plain data)."""

    seq: int
    type: str
    actor: str
    payload: Mapping[str, Any]

    @property
    def subject(self) -> str:
        """What the event is about (a case, a ticket …): what `as=NAME` remembers."""
        for name in SUBJECT_FIELDS:
            value = self.payload.get(name)
            if isinstance(value, str) and value:
                return value
        return ""


@dataclass(frozen=True)
class TicketFacts:
    """What a check needs to know of a ticket beyond the event that calls it."""

    number: str
    category: str
    priority: bool
    appointment: bool


class Facts(Protocol):
    """Look-ups a check may make beyond its event (read from the projections, which the
    journal built). ScenarioRun provides one per observe()."""

    def ticket(self, ticket_id: str) -> TicketFacts | None: ...


@dataclass(frozen=True)
class Context:
    """What a check matches in: the names bound so far (label → id) and the look-ups."""

    labels: Mapping[str, str]
    facts: Facts


# --- parameters -------------------------------------------------------------------------------

#: A parameter's kind: "label" (a name bound by an earlier as=), "yesno", "text" (compared as
#: a substring or exactly, as the check says).
ParamKind = str


@dataclass(frozen=True)
class Kind:
    """One named check: the event types it reads, its parameters (name → (kind, meaning)),
    and the matcher. A matcher returns True when the event satisfies the clause."""

    types: tuple[str, ...]
    params: Mapping[str, tuple[ParamKind, str]]
    matcher: Callable[[Clause, Seen, Context], bool]
    meaning: str
    #: Positional words it takes (only `event`: the type).
    words: int = 0


def _yes(value: str) -> bool:
    return value.strip().lower() in YES


def _bound(clause: Clause, name: str, ctx: Context) -> str | None:
    """The id the label in parameter `name` stands for; None when the clause has no such
    parameter (the parser made sure a written label is bound before it is used)."""
    label = clause.params.get(name)
    if label is None:
        return None
    return ctx.labels.get(label, f"<unbound {label}>")


def _same(clause: Clause, name: str, value: Any, ctx: Context) -> bool:
    """Whether the label parameter `name`, if given, is `value` (and, for a case, whether
    `other=NAME`, if given, is not: a new case where the named one should have gone on)."""
    wanted = _bound(clause, name, ctx)
    if name == "case" and _bound(clause, "other", ctx) == value:
        return False
    return wanted is None or wanted == value


def _text(clause: Clause, name: str, value: Any) -> bool:
    """Whether the text parameter `name`, if given, appears in `value` (a substring)."""
    wanted = clause.params.get(name)
    return wanted is None or (isinstance(value, str) and wanted in value)


def _flag(clause: Clause, name: str, value: bool) -> bool:
    wanted = clause.params.get(name)
    return wanted is None or _yes(wanted) == value


def _entry(clause: Clause, seen: Seen) -> bool:
    """item=CODE / bundle=CODE against a case outcome's entry (code, or part of its name)."""
    entry = seen.payload.get("entry") or {}
    for name, kind in (("item", "item"), ("bundle", "bundle")):
        wanted = clause.params.get(name)
        if wanted is None:
            continue
        if entry.get("kind") != kind:
            return False
        if wanted != entry.get("code") and wanted not in str(entry.get("name", "")):
            return False
    return True


def _marks(seen: Seen) -> Mapping[str, Any]:
    intake = seen.payload.get("intake") or {}
    marks = intake.get("marks") or {}
    return marks if isinstance(marks, Mapping) else {}


def _marked(seen: Seen, wanted: str, statuses: set[str]) -> bool:
    """Whether a material of kind `wanted` carries one of `statuses` in the intake."""
    mark = _marks(seen).get(wanted)
    return isinstance(mark, Mapping) and mark.get("status") in statuses


def _deferred(seen: Seen, wanted: str) -> bool:
    for deferral in seen.payload.get("deferrals") or ():
        if wanted == deferral.get("kind") or wanted in str(deferral.get("name", "")):
            return True
    return False


def _notice_rows(seen: Seen, kind: str, heading: str) -> list[str]:
    """The first column of the table after `heading` in the event's notice of `kind`."""
    names: list[str] = []
    for notice in seen.payload.get("notices") or ():
        if notice.get("kind") != kind:
            continue
        after = False
        for block in notice.get("blocks") or ():
            if "heading" in block:
                after = block["heading"] == heading
            elif after and "table" in block:
                names += [str(row[0]) for row in block["table"].get("rows") or () if row]
                after = False
    return names


def _has_notice(seen: Seen, kind: str) -> bool:
    return any(n.get("kind") == kind for n in seen.payload.get("notices") or ())


# --- the named checks -------------------------------------------------------------------------


def _ticket_kind(clause: Clause, seen: Seen, ctx: Context) -> bool:
    """ticket=NAME, priority=yes/no and appointment=yes/no against the event's ticket."""
    ticket_id = str(seen.payload.get("ticket_id"))
    if not _same(clause, "ticket", ticket_id, ctx):
        return False
    if "priority" in clause.params or "appointment" in clause.params:
        facts = ctx.facts.ticket(ticket_id)
        if facts is None:
            return False
        return _flag(clause, "priority", facts.priority) and _flag(
            clause, "appointment", facts.appointment
        )
    return True


def _called(clause: Clause, seen: Seen, ctx: Context) -> bool:
    return _ticket_kind(clause, seen, ctx) and _flag(
        clause, "out_of_turn", bool(seen.payload.get("reason"))
    )


def _finished(clause: Clause, seen: Seen, ctx: Context) -> bool:
    return _ticket_kind(clause, seen, ctx) and _text(clause, "outcome", seen.payload.get("outcome"))


def _checked_in(clause: Clause, seen: Seen, ctx: Context) -> bool:
    return _same(clause, "appointment", seen.payload.get("appointment_id"), ctx) and _flag(
        clause, "late", bool(seen.payload.get("late"))
    )


def _accepted(clause: Clause, seen: Seen, ctx: Context) -> bool:
    if not (_same(clause, "case", seen.payload.get("case_id"), ctx) and _entry(clause, seen)):
        return False
    if "deferred" in clause.params and not _deferred(seen, clause.params["deferred"]):
        return False
    if "committed" in clause.params and not _marked(
        seen, clause.params["committed"], {"committed"}
    ):
        return False
    if "received" in clause.params and not _marked(seen, clause.params["received"], {"received"}):
        return False
    # A commitment letter (容缺受理承诺书) goes with every deferral: ask for it explicitly.
    return _flag(clause, "commitment", _has_notice(seen, "deferral"))


def _notified(clause: Clause, seen: Seen, ctx: Context) -> bool:
    if not (_same(clause, "case", seen.payload.get("case_id"), ctx) and _entry(clause, seen)):
        return False
    wanted = clause.params.get("missing")
    if wanted is None:
        return True
    if _marked(seen, wanted, {"missing", "pending"}):
        return True
    return any(wanted in name for name in _notice_rows(seen, "notify", "【需补齐的材料】"))


def _refused(clause: Clause, seen: Seen, ctx: Context) -> bool:
    agency = str(seen.payload.get("competent_agency") or "")
    return (
        _same(clause, "case", seen.payload.get("case_id"), ctx)
        and _entry(clause, seen)
        and _text(clause, "agency", agency)
        and _flag(clause, "agency_given", bool(agency.strip()))
    )


def _on_case(clause: Clause, seen: Seen, ctx: Context) -> bool:
    return _same(clause, "case", seen.payload.get("case_id"), ctx)


def _handed_off(clause: Clause, seen: Seen, ctx: Context) -> bool:
    wanted = clause.params.get("department")
    return _on_case(clause, seen, ctx) and (
        wanted is None
        or wanted == seen.payload.get("department")
        or wanted in str(seen.payload.get("department_name", ""))
    )


def _correction(clause: Clause, seen: Seen, ctx: Context) -> bool:
    wanted = clause.params.get("material")
    names = [str(pair[0]) for pair in seen.payload.get("corrections") or () if pair]
    return _on_case(clause, seen, ctx) and (wanted is None or any(wanted in n for n in names))


def _supplied(clause: Clause, seen: Seen, ctx: Context) -> bool:
    wanted = clause.params.get("material")
    return _on_case(clause, seen, ctx) and (wanted is None or wanted == seen.payload.get("kind"))


def _delivered(clause: Clause, seen: Seen, ctx: Context) -> bool:
    delivery = seen.payload.get("delivery") or {}
    wanted = clause.params.get("way")
    return _on_case(clause, seen, ctx) and (wanted is None or delivery.get("method") == wanted)


FOLLOWUP_STEPS = ("opened", "verified", "fixed", "closed", "appealed")


def _followup(clause: Clause, seen: Seen, ctx: Context) -> bool:
    step = clause.params.get("step")
    return _same(clause, "rating", seen.payload.get("rating_id"), ctx) and (
        step is None or seen.type == f"rating.followup_{step}"
    )


def _rated(clause: Clause, seen: Seen, ctx: Context) -> bool:
    level = clause.params.get("level")
    return (
        _same(clause, "case", seen.payload.get("case_id"), ctx)
        and _same(clause, "ticket", seen.payload.get("ticket_id"), ctx)
        and (level is None or str(seen.payload.get("level")) == level)
    )


_CASE = {
    "case": ("label", "同一个办件（前面 as= 命名的）"),
    "other": ("label", "另一个办件：不是前面 as= 命名的那个"),
}
_TICKET = {
    "ticket": ("label", "同一张号（前面 as= 命名的）"),
    "priority": ("yesno", "是否绿色通道（优先）号"),
    "appointment": ("yesno", "是否预约签到的号"),
}
_ENTRY = {
    "item": ("text", "事项编码或事项名称的一部分"),
    "bundle": ("text", "一件事编码或名称的一部分"),
}

KINDS: dict[str, Kind] = {
    "called": Kind(
        ("queue.ticket_called",),
        {**_TICKET, "out_of_turn": ("yesno", "是否不按顺序叫号（点名叫号）")},
        _called,
        "叫号",
    ),
    "recalled": Kind(("queue.ticket_recalled",), _TICKET, _ticket_kind, "重呼"),
    "no_show": Kind(("queue.ticket_no_show",), _TICKET, _ticket_kind, "过号"),
    "started": Kind(("queue.ticket_started",), _TICKET, _ticket_kind, "开始办理"),
    "finished": Kind(
        ("queue.ticket_finished",),
        {**_TICKET, "outcome": ("text", "办结结果")},
        _finished,
        "办结本号",
    ),
    "transferred": Kind(("queue.ticket_transferred",), _TICKET, _ticket_kind, "转窗"),
    "checked_in": Kind(
        ("queue.appointment_checked_in",),
        {"appointment": ("label", "同一个预约"), "late": ("yesno", "是否迟到")},
        _checked_in,
        "预约签到",
    ),
    "accepted": Kind(
        ("case.accepted",),
        {
            **_CASE,
            **_ENTRY,
            "deferred": ("text", "容缺的材料（材料类别或名称的一部分）"),
            "committed": ("text", "以告知承诺代替的材料（材料类别）"),
            "received": ("text", "已收取的材料（材料类别）"),
            "commitment": ("yesno", "是否出具了容缺受理承诺书"),
        },
        _accepted,
        "受理",
    ),
    "notified": Kind(
        ("case.notified",),
        {**_CASE, **_ENTRY, "missing": ("text", "告知书列明的缺少材料（类别或名称的一部分）")},
        _notified,
        "一次性告知",
    ),
    "refused": Kind(
        ("case.refused",),
        {
            **_CASE,
            **_ENTRY,
            "agency": ("text", "告知的有权机关（名称的一部分）"),
            "agency_given": ("yesno", "是否写明了有权机关"),
        },
        _refused,
        "不予受理",
    ),
    "handed_off": Kind(
        ("case.handed_off",),
        {**_CASE, "department": ("text", "部门编码或名称的一部分")},
        _handed_off,
        "移交后台",
    ),
    "claimed": Kind(("case.claimed",), _CASE, _on_case, "认领"),
    "correction_requested": Kind(
        ("case.correction_requested",),
        {**_CASE, "material": ("text", "要求补正的材料名称的一部分")},
        _correction,
        "要求补正",
    ),
    "resubmitted": Kind(("case.resubmitted",), _CASE, _on_case, "补正后重新提交"),
    "supplied": Kind(
        ("case.material_supplied",),
        {**_CASE, "material": ("text", "补交的容缺材料类别")},
        _supplied,
        "补交容缺材料",
    ),
    "approved": Kind(("case.approved",), _CASE, _on_case, "准予"),
    "denied": Kind(("case.denied",), _CASE, _on_case, "不予许可"),
    "completed": Kind(("case.completed",), _CASE, _on_case, "办结"),
    "delivered": Kind(
        ("case.delivered",),
        {**_CASE, "way": ("text", "出件方式：pickup 自取、mail 邮寄、electronic 电子送达")},
        _delivered,
        "出件",
    ),
    "rated": Kind(
        ("rating.recorded",),
        {**_CASE, "ticket": _TICKET["ticket"], "level": ("text", "评价等级 1–5")},
        _rated,
        "评价",
    ),
    "followup": Kind(
        tuple(f"rating.followup_{step}" for step in FOLLOWUP_STEPS),
        {
            "rating": ("label", "同一条评价（前面 as= 命名的）"),
            "step": ("text", "回访的一步：" + "、".join(FOLLOWUP_STEPS)),
        },
        _followup,
        "差评整改",
    ),
}

#: Parameters every check takes.
COMMON = {"as": ("name", "给找到的对象（办件、号、评价）命名，供后面的行引用")}


def _generic(clause: Clause, seen: Seen, ctx: Context) -> bool:
    for name, wanted in clause.params.items():
        if name == "as":
            continue
        value = seen.payload.get(name)
        if wanted in ctx.labels and isinstance(value, str):
            if ctx.labels[wanted] != value:
                return False
        elif isinstance(value, bool):
            if _yes(wanted) != value:
                return False
        elif isinstance(value, list):
            if wanted not in [str(v) for v in value]:
                return False
        elif str(value) != wanted:
            return False
    return True


def matches(clause: Clause, seen: Seen, ctx: Context) -> bool:
    """Whether `seen` satisfies the check `clause` (already accepted by `problem`)."""
    if clause.kind == "event":
        return seen.type == clause.words[0] and _generic(clause, seen, ctx)
    kind = KINDS[clause.kind]
    return seen.type in kind.types and kind.matcher(clause, seen, ctx)


def problem(clause: Clause, labels: frozenset[str]) -> str | None:
    """None when `clause` is a check this vocabulary knows, with parameters it takes and
    labels bound earlier; else what is wrong, in Chinese (the parser adds file and line)."""
    if clause.kind == "event":
        return _event_problem(clause)
    kind = KINDS.get(clause.kind)
    if kind is None:
        return f"未知的检查 {clause.kind}（可用：event、{'、'.join(KINDS)}）"
    if clause.words:
        return f"检查 {clause.kind} 的参数应写成 名称=值：{' '.join(clause.words)}"
    allowed = {**kind.params, **COMMON}
    for name, value in clause.params.items():
        if name not in allowed:
            return f"检查 {clause.kind} 没有参数 {name}（可用：{'、'.join(allowed)}）"
        sort = allowed[name][0]
        if sort == "label" and value not in labels:
            return f"{name}={value}：前面没有用 as={value} 命名过"
        if sort == "yesno" and value.strip().lower() not in YES | NO:
            return f"{name}= 应为 yes 或 no；收到 {value}"
        if not value:
            return f"参数 {name} 缺少值"
    if clause.kind == "followup" and clause.params.get("step", "opened") not in FOLLOWUP_STEPS:
        return f"step= 应为 {'、'.join(FOLLOWUP_STEPS)} 之一；收到 {clause.params['step']}"
    return None


def _event_problem(clause: Clause) -> str | None:
    import dataclasses

    from counter_tui.journal.events import declared

    if len(clause.words) != 1:
        return "event 后应写一个事件类型，如 event case.accepted，再写 字段=值"
    _declarations()
    payload = declared().get(clause.words[0])
    if payload is None:
        return f"未知的事件类型 {clause.words[0]}（见 docs/events.md）"
    fields = [f.name for f in dataclasses.fields(payload)]
    for name in clause.params:
        if name != "as" and name not in fields:
            return f"事件 {clause.words[0]} 没有字段 {name}（有：{'、'.join(fields)}）"
    return None


def _declarations() -> None:
    """Import every capability's events.py, so that every event type is declared whatever this
    process imported before. Only the declarations (plain dataclasses): reading the scenario
    list stays light (journal.registry would load the projections and SQLModel with them)."""
    import importlib
    from pathlib import Path

    import counter_tui

    root = Path(counter_tui.__file__).parent
    for path in sorted(root.glob("*/events.py")):
        importlib.import_module(f"counter_tui.{path.parent.name}.events")
