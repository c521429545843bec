"""The keys as one table for the people who press them: when each binding applies, the keys
that are not bindings (Enter on a row), and how a key is written as typed.

The bindings themselves stay in each screen's BINDINGS (their owner's business); this module
adds, by binding id, what only a person needs: the condition under which a key works. F1
(screens/help.py) and the command palette (commands.py) both read it, so a key's help, its
palette command and its refusal say the same thing. A binding without a row here is still
listed; it just has no condition to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from textual.binding import Binding
from textual.dom import DOMNode

#: How key names are written for people, not for Textual.
KEY_NAMES = {
    "ctrl": "Ctrl",
    "shift": "Shift",
    "alt": "Alt",
    "escape": "Esc",
    "enter": "回车",
    "tab": "Tab",
    "space": "空格",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "home": "Home",
    "end": "End",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "delete": "Del",
    "backspace": "退格",
}

WHEN_FREE = "窗口空闲（没有已叫或办理中的号）时"
WHEN_CALLED = "已叫号、申请人未到窗口时"
WHEN_SERVING = "办理中（已按 s 开始）时"
WHEN_RECEPTION = "导服台，或窗口空闲时"
WHEN_CHECKLIST = "光标在材料清单时"

#: Binding id → when it applies. Keys that always work need no row.
WHEN: dict[str, str] = {
    # F3 排队叫号
    "queue.call_next": WHEN_FREE + "（导服台不叫号）",
    "queue.recall": WHEN_CALLED,
    "queue.start": WHEN_CALLED,
    "queue.no_show": WHEN_CALLED,
    "queue.finish": "已叫号或办理中",
    "queue.transfer": WHEN_SERVING,
    "queue.park": WHEN_SERVING,
    "queue.issue": WHEN_RECEPTION,
    "queue.check_in": WHEN_RECEPTION,
    "queue.book": WHEN_RECEPTION,
    "queue.hard_cases": "窗口人员、督查人员登录后",
    "queue.assist": WHEN_SERVING,
    # Ctrl+L 同步台 (ui/screens/sync_desk.py): the door refuses a supervisor and says why
    "desk.retry": "县级中心的管理员，选中一条隔离事件时",
    "desk.resolve": "县级中心的管理员，选中一条隔离事件时",
    # F2 受理
    "intake.accept": "已选事项、申请人信息有效、必交材料已收（或容缺、承诺、免提交）时",
    "intake.notify": "已选事项、有缺少的材料时",
    "intake.refuse": "已选事项时",
    "intake.new": "任何时候（放弃当前草稿）",
    "intake.id_type": "随时；单位申请时切换法定代表人的证件类型",
    "intake.hit_next": "事项搜索有结果时",
    "intake.hit_previous": "事项搜索有结果时",
    "intake.received": WHEN_CHECKLIST,
    "intake.deferred": WHEN_CHECKLIST + "（该材料允许容缺）",
    "intake.missing": WHEN_CHECKLIST,
    "intake.committed": WHEN_CHECKLIST + "（该材料允许告知承诺）",
    "intake.exempt": WHEN_CHECKLIST + "（该材料可免提交）",
    "intake.all_received": WHEN_CHECKLIST + "：把尚未标记的材料都标为已收，已标为缺的不变",
    "intake.answer": "光标在办理情形行时",
    "intake.deadline": "光标在容缺材料行时",
    "intake.note": WHEN_CHECKLIST,
    # F4 待办
    "worklist.claim": "后台待审视图，选中已移交的办件时（审批人员）",
    "worklist.hand_off": "窗口待办视图，选中已受理的办件时（窗口人员）",
    "worklist.view": "有两种视图的角色（培训、监督、管理）",
    "worklist.department": "审批人员以外的角色",
    # F5 事项目录
    "catalog.next": "有搜索结果时",
    "catalog.previous": "有搜索结果时",
    "catalog.search": "查看办事指南时",
    # 办件详情
    "case.deferrals": "办件有容缺材料待补交时",
    "case.hard_case": "窗口人员、督查人员",
    "case.assist": "窗口人员、督查人员",
    "case.rate": "窗口人员、督查、管理人员",
    # F6 统计
    "reports.view": "督查、管理人员",
    # 差评整改 (F6 督办, or the palette)
    "followups.step": "选中的差评整改尚未反馈办结时（督查、管理人员）",
    "followups.appeal": "选中的差评整改尚未办结时（督查、管理人员）",
    # 办不成事
    "hard_case.inform": "办结前（可多次告知）",
    "hard_case.coordinate": "已告知、办结前",
    "hard_case.reply": "有部门尚未答复时",
    "hard_case.supervise": "部门答复期限已过时（督查人员）",
    "hard_case.conclude": "已告知、各部门均已答复后",
    "hard_case.visit": "已办结、尚未回访时",
    # Everywhere
    "section.intake": "登录后，不在该栏目时",
    "section.queue": "登录后，不在该栏目时",
    "section.worklist": "登录后，不在该栏目时",
    "section.catalog": "登录后，不在该栏目时",
    "section.reports": "登录后，不在该栏目时",
    "logout": "登录后",
    "sync.now": "登录后",
    # A demo's training run (ui/training.py)
    "training.task": "演示模式登录后",
    "training.next_hint": "练习进行时，本项任务还有提示时（每条扣分）",
}


@cache
def _case_when() -> dict[str, str]:
    """The case detail's action keys apply where the lifecycle table says: in these states, to
    these roles. Said from that table so the help never disagrees with the services (read when
    first asked: the login screen paints without the case modules)."""
    from counter_tui.accounts.rules import role_label
    from counter_tui.cases.lifecycle import TRANSITIONS, state_label

    states: dict[str, list[str]] = {}
    roles: dict[str, set[str]] = {}
    for (state, action), step in TRANSITIONS.items():
        states.setdefault(action, []).append(state_label(state))
        roles.setdefault(action, set()).update(step.roles)
    return {
        f"case.{action}": f"办件{'、'.join(dict.fromkeys(states[action]))}时"
        f"（{'、'.join(role_label(r) for r in sorted(roles[action]))}）"
        for action in states
    }


@dataclass(frozen=True)
class PseudoKey:
    """A key that is not a binding of its own (Enter on a table's row is the table's), listed
    with the bindings whose ids share its prefix."""

    key: str
    description: str
    when: str


#: Pseudo-key id → the key, what it does, when. The id's prefix puts it on its screen.
EXTRA: dict[str, PseudoKey] = {
    "queue.row": PseudoKey(
        "enter",
        "处理选中行",
        "等候行：不按顺序叫号；暂离行：叫回；过号行：重新排队；往日行：关闭",
    ),
    "worklist.open": PseudoKey("enter", "打开办件", "选中办件时；打开后按下表的办件键办理"),
    "intake.choose": PseudoKey("enter", "确定并前往下一项", "事项搜索、各输入栏"),
}

#: Keys of Textual's that work everywhere, said in Chinese (listed under 通用).
GENERAL_EXTRA = (
    PseudoKey("tab", "下一个输入项", ""),
    PseudoKey("shift+tab", "上一个输入项", ""),
)

#: Screens whose rows open another screen: the help lists that screen's keys too, under a
#: heading (binding-id prefix → (module, class, heading)).
OPENS: dict[str, tuple[str, str, str]] = {
    "worklist": ("counter_tui.ui.screens.case_detail", "CaseDetailScreen", "回车打开办件后"),
}


def key_label(key: str) -> str:
    """`ctrl+o` → `Ctrl+O`, `f1` → `F1`, `r` → `r` (letters as typed), `enter` → `回车`.
    Of a binding's alternatives (`escape,f1`) all are shown, joined by `/`."""
    return "/".join(_one_key(k.strip()) for k in key.split(","))


def _one_key(key: str) -> str:
    parts = key.split("+")
    shown = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part in KEY_NAMES:
            shown.append(KEY_NAMES[part])
        elif len(part) > 1 and part[0] == "f" and part[1:].isdigit():
            shown.append(part.upper())
        elif last and len(parts) > 1:
            shown.append(part.upper())  # Ctrl+O: how keyboards and manuals write it
        else:
            shown.append(part)
    return "+".join(shown)


def when(binding_id: str | None) -> str:
    """When the binding `binding_id` applies ("" when always)."""
    if binding_id and binding_id.startswith("case."):
        return WHEN.get(binding_id) or _case_when().get(binding_id, "")
    return WHEN.get(binding_id or "", "")


def prefix(binding_id: str | None) -> str:
    return (binding_id or "").split(".", 1)[0]


def extras_for(prefixes: set[str]) -> list[tuple[str, PseudoKey]]:
    """The pseudo-keys that belong with bindings of these id prefixes."""
    return [(pid, key) for pid, key in EXTRA.items() if prefix(pid) in prefixes]


def bindings_of(owner: type[DOMNode] | DOMNode) -> list[Binding]:
    """The Binding objects of a class's BINDINGS (tuples are not used in this project)."""
    return [b for b in getattr(owner, "BINDINGS", []) if isinstance(b, Binding)]


def typed_key(binding: Binding, keymap: dict[str, str]) -> str:
    """The key as the clerk types it, after the config file's [keys] remapping."""
    key = keymap.get(binding.id or "", binding.key)
    return key_label(key)
