"""The case detail's keys as one table: a row per lifecycle action says its key, the action's
name in cases.lifecycle, the label and tooltip, what the clerk is told once it is recorded, and
how its details are gathered. Giving a new case action its key is one row here (plus, if it
asks for details, its form factory in case_form.py); which rows a case shows is the lifecycle
table's business (`CaseDetailScreen._may`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from counter_tui.ui.screens.case_form import (
    DELIVERY_WAYS,
    ActionForm,
    decision_form,
    delivery_form,
    reason_form,
)
from counter_tui.ui.screens.correction import correction_screen

if TYPE_CHECKING:
    from datetime import date

    from counter_tui.cases.record import CaseRecord
    from counter_tui.desk.node import Desk
    from counter_tui.ui.screens.case_form import CaseActionScreen


@dataclass(frozen=True)
class AtOnce:
    """Nothing more than the key: recorded as soon as it is pressed. `named`: the signed-in
    person's name goes with it (a claim tells the other approvers who has the case)."""

    named: bool = False


@dataclass(frozen=True)
class FormOf:
    """A form of fields (case_form.CaseFormScreen), made from the case and the deferred (容缺)
    materials it still owes ("" if none)."""

    make: Callable[[CaseRecord, str], ActionForm]


@dataclass(frozen=True)
class ChooseThen:
    """One of a few ways first (ask.ChooseScreen titled "<title>：<case number>"), then the
    form of the chosen way, made from the way, the case and what it still owes."""

    title: str
    choices: tuple[tuple[str, str], ...]
    make: Callable[[str, CaseRecord, str], ActionForm]


@dataclass(frozen=True)
class ReadThen:
    """A dialog of its own that needs the database before it opens (补正: the case's
    materials and the default deadline); `make` runs in a worker, with today's date."""

    make: Callable[[Desk, CaseRecord, date], CaseActionScreen]


#: How an action's details are gathered.
Gather = AtOnce | FormOf | ChooseThen | ReadThen


@dataclass(frozen=True)
class CaseKey:
    """One lifecycle action's key in the case detail."""

    key: str
    #: The action's name in cases.lifecycle.TRANSITIONS.
    action: str
    label: str
    tooltip: str
    gather: Gather
    #: What the clerk is told once it is recorded, before the case number ("" = the label).
    done: str = ""

    @property
    def done_line(self) -> str:
        return self.done or self.label


#: In the order the keys line and the footer list them.
CASE_KEYS = (
    CaseKey("h", "hand_off", "移交后台", "已受理的办件移交承办部门审批", AtOnce()),
    CaseKey("c", "claim", "认领", "认领本办件（一件一人）", AtOnce(named=True)),
    CaseKey(
        "b",
        "request_correction",
        "要求补正",
        "列出需补正的材料和期限，出具补正通知书",
        ReadThen(correction_screen),
    ),
    CaseKey(
        "r",
        "resubmit",
        "补正已交",
        "申请人已交来补正材料：继续审查",
        AtOnce(),
        done="已收补正材料，继续审查",
    ),
    CaseKey(
        "s",
        "suspend",
        "中止",
        "中止审查并写明理由：暂停计时",
        FormOf(
            lambda case, owed: reason_form(
                "suspend", "中止审查", "中止理由（如：需要听证、检验检测、专家评审）"
            )
        ),
    ),
    CaseKey("u", "resume", "恢复审查", "中止的办件恢复审查：恢复计时", AtOnce()),
    CaseKey(
        "a",
        "approve",
        "准予",
        "准予许可：填写决定文书编号",
        FormOf(lambda case, owed: decision_form(True, owed)),
    ),
    CaseKey(
        "n",
        "deny",
        "不予许可",
        "不予许可：填写决定文书编号和理由",
        FormOf(lambda case, owed: decision_form(False, owed)),
    ),
    CaseKey("f", "complete", "办结", "办结：结果回到窗口出件", AtOnce()),
    CaseKey(
        "o",
        "deliver",
        "出件",
        "出件：窗口领取、邮寄或电子送达",
        ChooseThen("出件方式", DELIVERY_WAYS, delivery_form),
    ),
    CaseKey(
        "w",
        "withdraw",
        "撤回",
        "申请人申请撤回",
        FormOf(
            lambda case, owed: reason_form(
                "withdraw", "撤回申请", "撤回原因（如：申请人书面申请撤回）"
            )
        ),
    ),
)

#: The rows by action name.
BY_ACTION = {k.action: k for k in CASE_KEYS}
