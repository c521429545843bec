"""The command palette's actions provider: every section and session action, by name."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from counter_tui.ui.sections import SECTIONS

if TYPE_CHECKING:
    from counter_tui.ui.app import CounterApp


class ActionsProvider(Provider):
    """ "前往：受理" and friends, offered only once someone has signed in."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app: CounterApp = self.app  # type: ignore[assignment]
        if app.signed_in is None:
            return []
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (f"前往：{s.title}（{s.key.upper()}）", s.purpose, partial(app.action_section, s.name))
            for s in SECTIONS
        ]
        commands.append(("帮助：按键说明（F1）", "列出当前画面可用的按键", app.action_help))
        commands.append(("会话：注销（F9）", "退出登录，回到登录画面", app.action_logout))
        commands.append(
            ("同步：立即同步（Ctrl+Y）", "与县级中心同步，结果显示在状态行", app.action_sync_now)
        )
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


class CatalogProvider(Provider):
    """ "事项：个体工商户设立登记" — jump to any item's guide from anywhere."""

    async def startup(self) -> None:
        app: CounterApp = self.app  # type: ignore[assignment]
        self._index = None
        if app.signed_in is not None and app.desk is not None:
            self._index = await asyncio.to_thread(app.desk.catalog.index)

    async def search(self, query: str) -> Hits:
        app: CounterApp = self.app  # type: ignore[assignment]
        if self._index is None or not query.strip():
            return
        for rank, hit in enumerate(self._index.search(query, limit=10)):
            prefix = "一件事" if hit.entry.kind == "bundle" else "事项"
            title = Text(f"{prefix}：{hit.entry.name}")
            if not hit.allowed_here:
                title.append("（本站不可受理）", style="dim")
            yield Hit(
                1.0 - rank / 100,
                title,
                partial(app.open_catalog_entry, hit.entry.code),
                help=hit.entry.code,
            )
