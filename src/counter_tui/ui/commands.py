"""The command palette (Ctrl+P), in Chinese: the sections, the session's steps, every action key
of the sections (made from their BINDINGS and ui/keys.py, so a command and its key never
disagree), and the catalog's items by name.

An action command goes to its section and runs the action there when its check_action allows;
otherwise it says when the action applies (the same words as F1), so 叫号 with a ticket held
explains instead of doing nothing. Textual's own system commands (English) are not offered.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.align import Align
from rich.text import Text
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from counter_tui.ui.sections import BY_NAME, SECTIONS

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import Binding

    from counter_tui.ui.app import CounterApp

PLACEHOLDER = "输入栏目或操作名称…"
NO_MATCHES = "没有匹配的命令"

#: Keys that move about a screen rather than do something: not commands.
NAVIGATION_KEYS = frozenset({"up", "down", "left", "right", "escape", "tab", "shift+tab"})


class Palette(CommandPalette):
    """Textual's palette with its two English lines said in Chinese."""

    def __init__(self) -> None:
        super().__init__(placeholder=PLACEHOLDER, id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual writes "No matches found" in this method and nowhere else that can be set;
        # this is its body (textual 8.x) with the words changed.
        from textual.command import CommandList

        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(NO_MATCHES, style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def open_palette(app: App[Any]) -> None:
    """What Ctrl+P does (App.action_command_palette)."""
    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(Palette())


@dataclass(frozen=True)
class KeyCommand:
    """A binding of a section's screen as a palette command."""

    section: str
    binding: Binding
    #: The heading of what opens first (the case detail, from a worklist row), or "".
    opened_by: str = ""

    def title(self, keymap: dict[str, str]) -> str:
        from counter_tui.ui.keys import typed_key

        where = [BY_NAME[self.section].key.upper()]
        if self.opened_by:
            where.append("回车")
        where.append(typed_key(self.binding, keymap))
        return f"{self.binding.description}（{' · '.join(where)}）"

    def help(self) -> str:
        from counter_tui.ui.keys import when

        condition = when(self.binding.id)
        tooltip = self.binding.tooltip or ""
        return f"{tooltip}；{condition}" if tooltip and condition else tooltip or condition


def key_commands() -> list[KeyCommand]:
    """Every action key of every section screen (and of what a section opens), in order."""
    from counter_tui.ui.keys import OPENS, bindings_of
    from counter_tui.ui.sections import SECTION_SCREENS, section_screen

    found: list[KeyCommand] = []
    for name in SECTION_SCREENS:
        owner = section_screen(name)
        prefixes = set()
        for binding in bindings_of(owner):
            if binding.id and binding.key not in NAVIGATION_KEYS:
                found.append(KeyCommand(name, binding))
                prefixes.add(binding.id.split(".", 1)[0])
        for pre in sorted(prefixes & set(OPENS)):
            module, cls_name, heading = OPENS[pre]
            opened = getattr(importlib.import_module(module), cls_name)
            found += [
                KeyCommand(name, b, heading)
                for b in bindings_of(opened)
                if b.id and b.key not in NAVIGATION_KEYS and b.action.startswith("do(")
            ]
    return found


async def run_key_command(app: CounterApp, command: KeyCommand) -> None:
    """Go to the command's section and run its action there if allowed now; else say when."""
    from textual.actions import parse

    from counter_tui.ui.keys import when

    await app.switch_mode(command.section)
    screen = app.screen
    binding = command.binding
    if not command.opened_by:
        _, name, parameters = parse(binding.action)
        if screen.check_action(name, parameters):
            await screen.run_action(binding.action)
            return
    condition = when(binding.id)
    if command.opened_by:
        condition = f"{command.opened_by}按此键；{condition}" if condition else command.opened_by
    app.notify(
        f"{binding.description}：{condition or '此时不可用'}",
        severity="warning",
        markup=False,
    )


def _followups(app: CounterApp) -> None:
    from counter_tui.ui.screens.followups import FollowupsScreen

    app.push_screen(FollowupsScreen())


def _rate(app: CounterApp) -> None:
    from counter_tui.ui.screens.rating_record import RatingScreen

    app.push_screen(RatingScreen())


def training_commands(app: CounterApp) -> list[tuple[str, str, Callable[[], object]]]:
    """练习: a demo's scenarios (ui/training.py); nothing off demo."""
    training = app.training
    if app.demo is None:
        return []
    found: list[tuple[str, str, Callable[[], object]]] = [
        (
            "练习：选择练习场景",
            "列出可练习的场景，回车开始（练习中先询问是否放弃）",
            training.open_picker,
        )
    ]
    if training.active:
        found.append(
            (
                f"练习：当前任务与提示（{training.key_label()}）",
                "本项任务的说明；提示每条扣分",
                training.open_task,
            )
        )
        found.append(("练习：放弃练习", "结束本次练习，不计得分（先询问）", training.ask_abandon))
    return found


class ActionsProvider(Provider):
    """ "前往：受理", "叫号（F3 · n）" and friends, offered only once someone has signed in."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app: CounterApp = self.app  # type: ignore[assignment]
        if app.signed_in is None:
            return []
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (f"前往：{s.title}（{s.key.upper()}）", s.purpose, partial(app.action_section, s.name))
            for s in SECTIONS
        ]
        keymap = dict(app.settings.keys or {})
        commands += [
            (c.title(keymap), c.help(), partial(run_key_command, app, c)) for c in key_commands()
        ]
        commands.append(
            ("好差评：差评整改", "待办的差评整改，回车办理下一步", partial(_followups, app))
        )
        commands.append(("好差评：记录评价", "电话、短信、网上的办件评价", partial(_rate, app)))
        commands += training_commands(app)
        commands.append(("帮助：按键说明（F1）", "列出当前画面的全部按键", app.action_help))
        commands.append(("会话：注销（F9）", "退出登录，回到登录画面", app.action_logout))
        commands.append(
            ("同步：立即同步（Ctrl+Y）", "与县级中心同步，结果显示在状态行", app.action_sync_now)
        )
        commands.append(
            (
                "同步：同步台（Ctrl+L）",
                "同步状态、同步文件导出导入；县级中心：下属站点与隔离事件",
                app.action_sync_desk,
            )
        )
        commands.append(("退出 counter-tui（Ctrl+Q）", "关闭本程序", app.action_quit))
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


#: The catalog index's match classes the palette offers. Not "code": a code prefix is for the
#: catalog screen, where codes are shown; in the palette a few typed letters or digits found
#: unrelated items by their codes.
CATALOG_MATCHES = frozenset({"exact", "prefix", "alias", "initials", "pinyin", "substring"})


class CatalogProvider(Provider):
    """ "事项：个体工商户设立登记" — jump to any item's guide from anywhere, found by its name
    (characters, initials or pinyin) through the catalog's own index, never by a subsequence."""

    async def startup(self) -> None:
        app: CounterApp = self.app  # type: ignore[assignment]
        self._index = None
        if app.signed_in is not None and app.desk is not None:
            self._index = await asyncio.to_thread(app.desk.catalog.index)

    async def search(self, query: str) -> Hits:
        app: CounterApp = self.app  # type: ignore[assignment]
        if self._index is None or not query.strip():
            return
        hits = [h for h in self._index.search(query, limit=20) if h.match in CATALOG_MATCHES]
        for rank, hit in enumerate(hits[:10]):
            prefix = "一件事" if hit.entry.kind == "bundle" else "事项"
            title = Text(f"{prefix}：{hit.entry.name}")
            if not hit.allowed_here:
                title.append("（本站不可受理）", style="dim")
            # Below any action that matches: 出件 is a key before it is an item's word.
            yield Hit(
                0.5 - rank / 100,
                title,
                partial(app.open_catalog_entry, hit.entry.code),
                help=hit.entry.code,
            )


#: The palette's providers (App.COMMANDS): without Textual's English system commands.
PALETTE_PROVIDERS: set[Any] = {ActionsProvider, CatalogProvider}
