"""Pure rules of the feedback capability: code sets, states and checks. No I/O."""

from __future__ import annotations

from datetime import date

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
