"""F1 help: every key of the screen underneath, grouped 本画面 (the screen and its widgets) and
通用 (the F-keys and the app's keys), each with when it applies.

A key that does not work right now is still listed, dim, with its condition (ui/keys.py): a new
clerk learns from F1 what `s` will do once a ticket is called, not only what works this second.
The table is a Rich table drawn at the screen's width, so descriptions wrap and are never cut
at 80 columns. The last line says how to remap a key by the id in the table's last column.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from counter_tui.ui import keys
from counter_tui.ui.keys import GENERAL_EXTRA, OPENS, bindings_of, extras_for, key_label, when

#: Wide enough for "Shift+Tab" and "Ctrl+Y".
KEY_WIDTH = 9
#: Wide enough for most ids ("section.worklist"); longer ones fold.
ID_WIDTH = 16
#: The id column's number, named in the remapping line.
ID_COLUMN = 4
REMAP_LINE = (
    '配置文件 [keys] 中写 "绑定编号" = "键"，如 "intake.kind" = "f11"；'
    f"绑定编号见本表第 {ID_COLUMN} 列"
)


@dataclass(frozen=True)
class HelpRow:
    """One key as F1 lists it."""

    key: str
    description: str
    when: str
    binding_id: str
    #: Whether pressing it now does something (else it is shown dim).
    enabled: bool = True


@dataclass(frozen=True)
class HelpGroup:
    title: str
    rows: tuple[HelpRow, ...]


class HelpScreen(ModalScreen[None]):
    """Lists every key of the screen it was opened over, then the app's."""

    BINDINGS = [
        Binding("escape,f1", "dismiss", "关闭帮助", id="help.close"),
    ]
    # The table is drawn at the box's width (a Static's own width would be the table's widest
    # natural line, and Textual would wrap that again, breaking the columns).
    DEFAULT_CSS = """
    #help-table { width: 1fr; }
    """

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self._under = under
        self.groups = help_groups(under)

    def compose(self) -> ComposeResult:
        title = getattr(getattr(self._under, "section", None), "title", "")
        heading = f"按键帮助：{title}" if title else "按键帮助"
        with Vertical(id="help-box"):
            yield Static(Text(f"{heading}（Esc 关闭，↑↓ 翻看）"), id="help-title")
            with VerticalScroll(id="help-keys"):
                yield Static(render_groups(self.groups), id="help-table")
            yield Static(
                Text(
                    "灰色的键此时不可用，见“何时可用”。Ctrl+P 命令面板：输入栏目或操作名称。\n"
                    + REMAP_LINE
                ),
                id="help-foot",
            )

    def on_mount(self) -> None:
        self.query_one("#help-keys").focus()

    @property
    def rows(self) -> list[HelpRow]:
        """Every row, in order (tests read them)."""
        return [row for group in self.groups for row in group.rows]


def render_groups(groups: list[HelpGroup]) -> RenderableType:
    parts: list[RenderableType] = []
    for group in groups:
        parts.append(Text(group.title, style="bold"))
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False, padding=(0, 1))
        # Fixed shares, so every group's columns line up; CJK has no spaces to wrap at, so
        # every column folds instead of cutting with an ellipsis.
        table.add_column("按键", width=KEY_WIDTH, overflow="fold")
        table.add_column("作用", ratio=3, overflow="fold")
        table.add_column("何时可用", ratio=4, overflow="fold")
        table.add_column("编号", width=ID_WIDTH, style="dim", overflow="fold")
        for row in group.rows:
            table.add_row(
                Text(row.key, style="bold" if row.enabled else ""),
                Text(row.description),
                Text(row.when),
                Text(row.binding_id),
                style=None if row.enabled else "dim",
            )
        parts += [table, Text("")]
    return Group(*parts)


def help_groups(under: Screen[object]) -> list[HelpGroup]:
    """本画面, then (on F4) the keys of what Enter opens, then 通用."""
    app = under.app
    keymap: dict[str, str] = dict(getattr(getattr(app, "settings", None), "keys", {}) or {})
    focus_chain = set(under.focused.ancestors_with_self) if under.focused else set()
    here: list[HelpRow] = []
    seen: set[str] = set()
    for node in [under, *under.walk_children()]:
        for binding in _own_bindings(node):
            if binding.id is None or binding.id in seen or not binding.description:
                continue
            seen.add(binding.id)
            reaches = node is under or node in focus_chain
            here.append(_row(node, binding, keymap, enabled=reaches and _works(node, binding)))
    prefixes = {keys.prefix(binding_id) for binding_id in seen}
    # Enter on a row belongs first: it is the key a table is for.
    extra = [HelpRow(key_label(p.key), p.description, p.when, "") for _, p in extras_for(prefixes)]
    groups = [HelpGroup("本画面", tuple(extra + here))]
    for pre in sorted(prefixes & set(OPENS)):
        module, cls_name, heading = OPENS[pre]
        owner = getattr(importlib.import_module(module), cls_name)
        rows = tuple(
            HelpRow(keys.typed_key(b, keymap), b.description, when(b.id), b.id or "")
            for b in bindings_of(owner)
            if b.id and b.description
        )
        groups.append(HelpGroup(heading, rows))
    taken = {row.key for row in here}
    general = [row for row in _general_rows(under, keymap, seen) if row.key not in taken]
    groups.append(HelpGroup("通用", tuple(general)))
    return groups


def _general_rows(under: Screen[object], keymap: dict[str, str], seen: set[str]) -> list[HelpRow]:
    """The app's keys. A dialog (a modal screen) shuts them out until it is closed; a key the
    screen binds itself (the case detail's F1) is listed with the screen's."""
    app = under.app
    modal = isinstance(under, ModalScreen)
    rows: list[HelpRow] = []
    for binding in bindings_of(type(app)):
        if binding.id is None or binding.id in seen or not binding.description:
            continue
        if keys.prefix(binding.id) == "training" and getattr(app, "demo", None) is None:
            continue  # a demo's training keys (ui/training.py) mean nothing in a real hall
        works = not modal and _works(app, binding)
        condition = "关闭本窗口后" if modal else when(binding.id)
        row = _row(app, binding, keymap, enabled=works)
        rows.append(HelpRow(row.key, row.description, condition, row.binding_id, works))
    rows += [HelpRow(key_label(p.key), p.description, p.when, "") for p in GENERAL_EXTRA]
    return rows


def _row(node: DOMNode, binding: Binding, keymap: dict[str, str], *, enabled: bool) -> HelpRow:
    description = binding.description
    if binding.tooltip and binding.tooltip != description:
        description = f"{description}：{binding.tooltip}"
    return HelpRow(
        keys.typed_key(binding, keymap), description, when(binding.id), binding.id or "", enabled
    )


def _own_bindings(node: DOMNode) -> list[Binding]:
    """The bindings the project's classes declare (BINDINGS), not Textual's widgets' own."""
    found: list[Binding] = []
    for cls in type(node).__mro__:
        if cls.__module__.startswith("counter_tui.") and "BINDINGS" in vars(cls):
            found += bindings_of(cls)
    return found


def _works(node: DOMNode, binding: Binding) -> bool:
    """Whether the binding's action is allowed now, as its node's check_action says."""
    namespace, name, parameters = parse(binding.action)
    target: DOMNode = node.app if namespace == "app" else node
    return bool(target.check_action(name, parameters))
