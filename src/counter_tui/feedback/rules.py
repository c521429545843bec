"""Ratings' pure rules: the national levels and reasons, which ratings are bad, and the order of
a follow-up's steps. No I/O."""

from __future__ import annotations

from counter_tui.errors import UserError


class RatingRefused(UserError):
    """A rating or a follow-up step that cannot be recorded; the message says why, in Chinese."""


#: 满意度 (GB/T 39046 appendix A): 4 and 5 are 差评.
LEVELS: dict[int, str] = {
    1: "非常满意",
    2: "满意",
    3: "基本满意",
    4: "不满意",
    5: "非常不满意",
}
BAD_LEVELS = (4, 5)

SERVICE, CASE = "service", "case"
KINDS: dict[str, str] = {SERVICE: "一次一评", CASE: "一事一评"}

CHANNELS: dict[str, str] = {
    "window": "窗口评价器",
    "phone": "电话回访",
    "sms": "短信",
    "online": "网上评价",
}

#: Reasons offered for a bad rating (差评原因), by code. A provincial export may name others:
#: those are kept as their text.
REASONS: dict[str, str] = {
    "attitude": "服务态度差",
    "slow": "办事效率低",
    "trips": "多次跑腿",
    "unclear": "一次性告知不清",
    "materials": "要求材料过多",
    "rules": "政策规定不合理",
    "system": "系统故障",
    "other": "其他",
}

#: The owner of a follow-up for a rating of a ticket alone (no case, no department).
HALL_OWNER = "hall"

OPEN, VERIFIED, FIXED, CLOSED, MISTAKEN = "open", "verified", "fixed", "closed", "mistaken"
FOLLOWUP_STATES: dict[str, str] = {
    OPEN: "待回访",
    VERIFIED: "已回访核实",
    FIXED: "已整改",
    CLOSED: "已反馈办结",
    MISTAKEN: "误评",
}
#: Each step, from the state it needs to the state it leaves: 回访核实 → 整改 → 反馈.
STEPS: dict[str, tuple[str, str, str]] = {
    "verify": (OPEN, VERIFIED, "回访核实"),
    "fix": (VERIFIED, FIXED, "整改"),
    "close": (FIXED, CLOSED, "反馈"),
}
#: States in which the loop still waits for someone.
UNFINISHED = (OPEN, VERIFIED, FIXED)
#: Longest note, reason or comment kept.
MAX_NOTE = 500


def is_bad(level: int | None, given: bool) -> bool:
    """A 差评 that opens a follow-up: a level 4 or 5 the applicant actually gave."""
    return given and level in BAD_LEVELS


def level_problem(level: int | None, given: bool) -> str | None:
    if level is None:
        return "请给出评价等级（1–5）" if given else None
    if isinstance(level, bool) or level not in LEVELS:
        return f"评价等级应为 1–5（1 非常满意 … 5 非常不满意），现在是 {level}"
    return None


def level_label(level: int | None, given: bool = True) -> str:
    if not given:
        return "未评价" if level is None else f"默认（{LEVELS.get(level, level)}）"
    return LEVELS.get(level, "") if level is not None else "未评价"


def parse_level(text: str) -> int | None:
    """A level typed or exported as a digit or its name (非常满意); None when it is neither."""
    value = text.strip()
    if value.isdigit() and int(value) in LEVELS:
        return int(value)
    for code, name in LEVELS.items():
        if value == name:
            return code
    return None


def reason_label(code: str) -> str:
    return REASONS.get(code, code)


def next_step(state: str) -> str | None:
    """The step a follow-up in `state` waits for, None when it is finished."""
    for step, (needs, _after, _name) in STEPS.items():
        if needs == state:
            return step
    return None


def step_problem(step: str, state: str) -> str | None:
    needs, _after, name = STEPS[step]
    if state == needs:
        return None
    if state in (CLOSED, MISTAKEN):
        return f"该差评整改已{FOLLOWUP_STATES[state]}，不能再{name}"
    waiting = next_step(state)
    return f"该差评整改现在应先{STEPS[waiting][2] if waiting else '结束'}，不能{name}"
