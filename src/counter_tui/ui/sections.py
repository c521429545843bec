"""The F-key sections of the main screen: one table used by the bindings, the command palette,
the help screen and the home section of each role."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_tui.ui.screens.section import SectionScreen


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


#: Each section's screen, by module and class: imported when the section first opens, so the
#: login screen paints without them (STYLE.md, "Start fast"; about 30 ms on a hall PC).
SECTION_SCREENS: dict[str, tuple[str, str]] = {
    "intake": ("counter_tui.ui.screens.intake.screen", "IntakeScreen"),
    "queue": ("counter_tui.ui.screens.queue", "QueueScreen"),
    "worklist": ("counter_tui.ui.screens.worklist", "WorklistScreen"),
    "catalog": ("counter_tui.ui.screens.catalog", "CatalogScreen"),
    "reports": ("counter_tui.ui.screens.reports.screen", "ReportsScreen"),
}


def section_screen(name: str) -> type[SectionScreen]:
    module, cls = SECTION_SCREENS[name]
    screen: type[SectionScreen] = getattr(importlib.import_module(module), cls)
    return screen
