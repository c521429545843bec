"""The F-key sections of the main screen: one table used by the bindings, the command palette,
the help screen and the home section of each role."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    name: str
    key: str
    title: str
    #: The footer's label: short, because 80 columns must hold every key.
    short: str
    #: What the section is for, shown in help and the command palette.
    purpose: str


SECTIONS: tuple[Section, ...] = (
    Section(
        "intake", "f2", "受理", "受理", "叫号后识别申请人、选择事项、核对材料、受理或一次性告知"
    ),
    Section("queue", "f3", "排队叫号", "叫号", "取号、叫号、重呼、过号、转窗"),
    Section("worklist", "f4", "待办", "待办", "后台审批待办：认领、补正、审批，按时限预警排序"),
    Section("catalog", "f5", "事项目录", "事项", "查找事项、查看办事指南和材料清单"),
    Section("reports", "f6", "统计", "统计", "办件统计、排名、好差评、办不成事"),
)

BY_NAME = {section.name: section for section in SECTIONS}

#: Where each role lands after signing in.
HOME_SECTION = {
    "clerk": "intake",
    "trainer": "intake",
    "approver": "worklist",
    "supervisor": "reports",
    "admin": "reports",
}
