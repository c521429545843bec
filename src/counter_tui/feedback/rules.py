"""Pure rules of the feedback capability. Ratings: the national levels and reasons, which ratings
are bad, and the order of a follow-up's steps; hard cases: their code sets, states and checks.
No I/O."""

from __future__ import annotations

from datetime import date

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


# --- hard cases (办不成事, H3) ----------------------------------------------------------------

#: 办不成事 kinds (issue 16, point 2): code → label.
HARD_CASE_KINDS: dict[str, str] = {
    "policy": "政策不明",
    "materials": "材料问题",
    "shirking": "部门推诿",
    "system": "系统故障",
    "other": "其他",
}

#: Where a hard case came from: a V-category ticket, a case, or neither (a walk-in, a call).
HARD_CASE_ORIGINS: dict[str, str] = {"ticket": "取号", "case": "办件", "walk_in": "直接登记"}

#: The outcome given to the applicant.
HARD_CASE_OUTCOMES: dict[str, str] = {"done": "办成", "cannot": "依法不能办理"}

#: The applicant's verdict at the 回访.
HARD_CASE_VERDICTS: dict[str, str] = {
    "satisfied": "满意",
    "basically": "基本满意",
    "unsatisfied": "不满意",
}

#: States of the closed loop 受理 → 告知 → 协调 → 督办 → 回访. 办结 (the outcome) sits between
#: the coordination and the 回访: a routine one is concluded right after 告知.
HC_ACCEPTED = "accepted"
HC_INFORMED = "informed"
HC_COORDINATING = "coordinating"
HC_SUPERVISED = "supervised"
HC_CONCLUDED = "concluded"
HC_CLOSED = "closed"
HARD_CASE_STATES: dict[str, str] = {
    HC_ACCEPTED: "已受理",
    HC_INFORMED: "已告知",
    HC_COORDINATING: "协调中",
    HC_SUPERVISED: "督办中",
    HC_CONCLUDED: "待回访",
    HC_CLOSED: "已回访",
}
HARD_CASE_OPEN_STATES = (HC_ACCEPTED, HC_INFORMED, HC_COORDINATING, HC_SUPERVISED, HC_CONCLUDED)

#: Timeline steps (hard_case_step.kind) and how the timeline names them.
HARD_CASE_STEPS: dict[str, str] = {
    "opened": "受理",
    "informed": "告知",
    "coordinated": "协调",
    "replied": "答复",
    "supervised": "督办",
    "concluded": "办结",
    "visited": "回访",
}

#: Reply deadlines in working days: the default, and the bounds a clerk may choose.
DEFAULT_REPLY_DAYS = 3
MAX_REPLY_DAYS = 30
PROBLEM_MAX = 2000
NOTE_MAX = 1000
#: The queue categories that are the 办不成事 window: prefix V in the default hall set-up
#: (queue.config.DEFAULT), or any category whose name says 办不成事.
HARD_CASE_PREFIX = "V"


def is_hard_case_category(prefix: str, name: str) -> bool:
    """Whether tickets of this queue category may open a hard case."""
    return prefix == HARD_CASE_PREFIX or "办不成" in name


def hard_case_number(day: date, seq: int) -> str:
    """A hard case's number: BC (办不成) and the day and a sequence per site, e.g.
    BC-261122-03; unique within a site, made offline without asking anyone."""
    return f"BC-{day:%y%m%d}-{seq:02d}"


def reply_days_problem(days: int) -> str | None:
    if not 1 <= days <= MAX_REPLY_DAYS:
        return f"答复时限应为 1–{MAX_REPLY_DAYS} 个工作日：{days}"
    return None


def text_problem(text: str, what: str, limit: int) -> str | None:
    """None when `text` (already cleaned) is usable as `what`, else the problem."""
    if not text:
        return f"请填写{what}"
    if len(text) > limit:
        return f"{what}太长（最多 {limit} 字，现 {len(text)} 字）"
    return None


def overdue(due: date, today: date, replied: bool) -> bool:
    """A coordination request is due for 督办 once its reply deadline has passed unanswered."""
    return not replied and today > due
