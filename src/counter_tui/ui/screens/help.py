"""F1 help: every key that works on the screen underneath, with what it does."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from counter_tui.ui.sections import SECTIONS

#: How keys are written for people, not for Textual.
KEY_NAMES = {"ctrl": "Ctrl", "shift": "Shift", "escape": "Esc", "enter": "回车", "tab": "Tab"}


#: Textual's own bindings, said in Chinese.
BUILTIN_DESCRIPTIONS = {
    "Focus Next": "下一个输入项",
    "Focus Previous": "上一个输入项",
    "Copy selected text": "复制选中的文字",
    "Quit": "退出",
}


def key_label(key: str) -> str:
    parts = [
        KEY_NAMES.get(part, part.upper() if len(part) <= 3 else part) for part in key.split("+")
    ]
    return "+".join(parts)


class HelpScreen(ModalScreen[None]):
    """Lists the live bindings of the screen it was opened over, then the sections."""

    BINDINGS = [
        Binding("escape,f1", "dismiss", "关闭帮助", id="help.close"),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self._under = under

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("按键帮助（Esc 关闭）", id="help-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                Text("Ctrl+P 打开命令面板，可输入栏目或操作名称直接前往。"), id="help-foot"
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("按键", "作用", "说明")
        seen: set[str] = set()
        for key, active in self._under.active_bindings.items():
            binding = active.binding
            # "super" (the Windows/Command key) never reaches a hall PC's terminal.
            if not binding.description or key in seen or "super" in key:
                continue
            # Ours carry an id; of Textual's own, only those said in Chinese above (an input's
            # cursor keys are not news to anyone, and their English would be).
            if binding.id is None and binding.description not in BUILTIN_DESCRIPTIONS:
                continue
            seen.add(key)
            description = BUILTIN_DESCRIPTIONS.get(binding.description, binding.description)
            table.add_row(key_label(key), Text(description), Text(binding.tooltip or ""))
        for section in SECTIONS:
            if section.key not in seen:
                table.add_row(key_label(section.key), Text(section.title), Text(section.purpose))
