"""The `given:` vocabulary: what a scenario sets up before the trainee starts (a ticket waiting,
an appointment due, a case in some state, a bad rating), applied through the services so that
it is in the journal like everything else — and before the run's journal position, so that none
of it counts as the trainee's step.

This module is the vocabulary (what the parser accepts); demo.givens_apply does the work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from counter_tui.demo.scenario import Clause

#: Case states a `given: case` can leave a case in, in lifecycle order.
CASE_STATES = {
    "notified": "已一次性告知（等申请人补齐）",
    "accepted": "已受理（在窗口，待移交）",
    "handed_off": "已移交后台（待认领）",
    "in_review": "审批中（已认领）",
    "correction_requested": "待补正",
    "approved": "已准予（待办结）",
    "completed": "已办结（结果待出件）",
}


@dataclass(frozen=True)
class Kind:
    #: name → (required, meaning)
    params: Mapping[str, tuple[bool, str]]
    meaning: str


def problem(clause: Clause, labels: frozenset[str]) -> str | None:
    """None when `clause` is a given this vocabulary knows with good parameters; else what
    is wrong, in Chinese (the parser adds file and line)."""
    kind = KINDS.get(clause.kind)
    if kind is None:
        return f"未知的准备 {clause.kind}（可用：{'、'.join(KINDS)}）"
    if clause.words:
        return f"准备 {clause.kind} 的参数应写成 名称=值：{' '.join(clause.words)}"
    allowed = {**kind.params, "as": (False, "命名")}
    for name, value in clause.params.items():
        if name not in allowed:
            return f"准备 {clause.kind} 没有参数 {name}（可用：{'、'.join(allowed)}）"
        if not value:
            return f"参数 {name} 缺少值"
    missing = [n for n, (required, _) in kind.params.items() if required and n not in clause.params]
    if missing:
        return f"准备 {clause.kind} 缺少参数 {'、'.join(missing)}"
    for name in ("case", "ticket"):
        if name in clause.params and clause.params[name] not in labels:
            return f"{name}={clause.params[name]}：前面没有用 as= 命名过"
    return _value_problem(clause)


def _value_problem(clause: Clause) -> str | None:
    state = clause.params.get("state")
    if clause.kind == "case" and state is not None and state not in CASE_STATES:
        return f"state={state}：未知的办件状态（可用：{'、'.join(CASE_STATES)}）"
    if clause.kind == "case" and ("item" in clause.params) == ("bundle" in clause.params):
        return "准备 case 需要 item= 或 bundle= 其中之一"
    if clause.kind == "rating" and ("case" in clause.params) == ("ticket" in clause.params):
        return "准备 rating 需要 case= 或 ticket= 其中之一（所评的办件或取号）"
    level = clause.params.get("level")
    if clause.kind == "rating" and level is not None and level not in ("4", "5"):
        return "level= 应为 4（不满意）或 5（非常不满意）：差评才有整改回访"
    return None


KINDS: dict[str, Kind] = {
    "ticket": Kind(
        {
            "category": (True, "取号类别（A、B…，见叫号设置）"),
            "priority": (False, "绿色通道原因（有则为优先号）"),
            "name": (False, "申请人姓名"),
        },
        "一张等候中的号",
    ),
    "appointment": Kind(
        {
            "category": (True, "取号类别"),
            "name": (True, "预约人姓名"),
            "phone": (False, "预约人手机号"),
        },
        "一个今天、此刻时段的预约（尚未签到）",
    ),
    "case": Kind(
        {
            "item": (False, "事项编码"),
            "bundle": (False, "一件事编码"),
            "state": (True, "办件状态：" + "、".join(CASE_STATES)),
            "applicant": (False, "申请人姓名（默认随机生成）"),
            "missing": (False, "一次性告知时缺少的材料类别（state=notified；默认第一项必交材料）"),
            "deferred": (False, "容缺受理的材料类别（该材料须可容缺）"),
            "correction": (False, "要求补正的材料类别（state=correction_requested）"),
        },
        "一个处于某状态的办件",
    ),
    "rating": Kind(
        {
            "level": (True, "差评等级 4 或 5"),
            "case": (False, "所评的办件（前面 as= 命名的；与 ticket= 二选一）"),
            "ticket": (False, "所评的取号服务（前面 as= 命名的）"),
            "reason": (False, "差评原因代码：attitude、slow、trips、unclear、materials、other…"),
            "comment": (False, "申请人的留言"),
        },
        "申请人的一条差评（自动开启整改回访）",
    ),
}
