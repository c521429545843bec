"""The catalog section (F5): search as you type, the results, and the chosen entry's guide.

Typing always goes to the search box; ↑/↓ move through the results while typing; Enter or
Tab moves into the guide to read it; Esc comes back to the search box.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.catalog.shipped import NO_CATALOG
from counter_tui.ui.messages import CatalogReady, GuideLoaded, ShowCatalogEntry
from counter_tui.ui.screens.section import SectionScreen

if TYPE_CHECKING:
    from counter_tui.catalog.search import Hit, SearchIndex
    from counter_tui.desk.node import Desk
    from counter_tui.desk.records import Guide

RESULT_LIMIT = 50


def hit_label(hit: Hit) -> Text:
    """A result line: name, then what kind of entry it is; entries this site may not accept
    are dimmed and say so."""
    label = Text(hit.entry.name, style="" if hit.allowed_here else "dim")
    if hit.entry.kind == "bundle" and not hit.entry.name.endswith("一件事"):
        label.append(" 一件事", style="bold")  # the shipped bundles say so in their names
    if not hit.allowed_here:
        label.append(" 本站不可受理", style="italic")
    return label


class CatalogScreen(SectionScreen):
    """Find any item in a second and see exactly what it needs."""

    section_name = "catalog"
    BINDINGS = [
        Binding("down", "move(1)", "下一条", show=False, id="catalog.next"),
        Binding("up", "move(-1)", "上一条", show=False, id="catalog.previous"),
        Binding("escape", "back_to_search", "回到搜索", id="catalog.search"),
    ]

    query_input = getters.query_one("#catalog-query", Input)
    results = getters.query_one("#catalog-results", OptionList)
    guide_box = getters.query_one("#catalog-guide", VerticalScroll)
    guide_title = getters.query_one("#guide-title", Static)
    guide_head = getters.query_one("#guide-head", Static)
    materials = getters.query_one("#guide-materials", DataTable)
    guide_body = getters.query_one("#guide-body", Static)

    def __init__(self) -> None:
        super().__init__()
        self._index: SearchIndex | None = None
        self._codes: list[str] = []
        self._pending_code: str | None = None

    def compose_body(self) -> ComposeResult:
        yield Input(
            placeholder="名称、拼音、首字母、编码或别名（如 gtgsh、营业执照）", id="catalog-query"
        )
        with Horizontal(id="catalog-panes"):
            with Vertical(id="catalog-left"):
                yield Static("正在载入事项目录…", id="catalog-count")
                yield OptionList(id="catalog-results")
            with VerticalScroll(id="catalog-guide", can_focus=True):
                yield Static("", id="guide-title")
                yield Static("", id="guide-head")
                yield DataTable(id="guide-materials", cursor_type="row", show_cursor=False)
                yield Static("", id="guide-body")

    def on_mount(self) -> None:
        # Two columns, the form under the name: at 80 columns a third would be cut off.
        self.materials.add_columns("材料（份数）", "方式")
        self.query_input.focus()
        desk = self.counter.desk
        if desk is not None:
            self._load_index(desk)

    @work(thread=True, exclusive=True, group="catalog-index")
    def _load_index(self, desk: Desk) -> None:
        self.post_message(CatalogReady(desk.catalog.index()))

    @on(CatalogReady)
    def _index_ready(self, message: CatalogReady) -> None:
        self._index = message.index
        count = self.query_one("#catalog-count", Static)
        if len(message.index) == 0:
            count.update(NO_CATALOG)
            return
        count.update(f"共 {len(message.index)} 项")
        self._search(self.query_input.value)
        if self._pending_code:
            self._open(self._pending_code)

    @on(Input.Changed, "#catalog-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def _search(self, query: str) -> None:
        """Search in memory: a few milliseconds even at county scale, so no worker is needed."""
        if self._index is None:
            return
        hits = self._index.search(query, limit=RESULT_LIMIT) if query.strip() else []
        self._codes = [hit.entry.code for hit in hits]
        self.results.set_options([Option(hit_label(hit), id=hit.entry.code) for hit in hits])
        count = self.query_one("#catalog-count", Static)
        if not query.strip():
            count.update(f"共 {len(self._index)} 项：输入即可查找")
        elif hits:
            count.update(
                f"找到 {len(hits)} 项" + ("（只列前 50 项）" if len(hits) == RESULT_LIMIT else "")
            )
        else:
            count.update(Text(f"没有找到“{query.strip()}”：试试拼音首字母或别名"))
        if hits:
            self.results.highlighted = 0

    def action_move(self, step: int) -> None:
        if not self._codes:
            return
        current = self.results.highlighted or 0
        self.results.highlighted = max(0, min(len(self._codes) - 1, current + step))

    @on(OptionList.OptionHighlighted, "#catalog-results")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self._open(event.option.id)

    @on(Input.Submitted, "#catalog-query")
    def _read_guide(self) -> None:
        highlighted = self.results.highlighted
        if self._codes and highlighted is not None:
            self._chosen(self._codes[highlighted])

    @on(OptionList.OptionSelected, "#catalog-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._chosen(event.option.id)

    def _chosen(self, code: str) -> None:
        """Enter on a result: read its guide, and count it as used at this site."""
        self.guide_box.focus()
        desk = self.counter.desk
        if desk is not None:
            self._note_use(desk, code)

    @work(thread=True, group="catalog-usage")
    def _note_use(self, desk: Desk, code: str) -> None:
        desk.catalog.note_use(code)

    def action_back_to_search(self) -> None:
        self.query_input.focus()

    @on(ShowCatalogEntry)
    def _show_entry(self, message: ShowCatalogEntry) -> None:
        """From the command palette: show this entry, whatever the search box holds."""
        self._pending_code = message.code
        if self._index is not None:
            self._open(message.code)
        desk = self.counter.desk
        if desk is not None:
            self._note_use(desk, message.code)

    def _open(self, code: str) -> None:
        desk = self.counter.desk
        if desk is not None:
            self._load_guide(desk, code)

    @work(thread=True, exclusive=True, group="catalog-guide")
    def _load_guide(self, desk: Desk, code: str) -> None:
        self.post_message(GuideLoaded(code, desk.catalog.guide(code)))

    @on(GuideLoaded)
    def _guide_loaded(self, message: GuideLoaded) -> None:
        self._pending_code = None
        if message.guide is None:
            self.guide_title.update(Text(f"目录中没有 {message.code}"))
            return
        self._render_guide(message.guide)

    def _render_guide(self, guide: Guide) -> None:
        from counter_tui.catalog.guide import bundle_sections, item_sections
        from counter_tui.catalog.model import Item
        from counter_tui.catalog.rules import bundle_items, checklist

        entry = guide.entry
        self.guide_title.update(Text(entry.name, style="bold"))
        if isinstance(entry, Item):
            sections = item_sections(entry, departments=guide.departments, kinds=guide.kinds)
            rows = [(m.name, m.mode_label, m.form_label) for m in entry.base_materials()]
        else:
            sections = bundle_sections(
                entry, items=guide.items, departments=guide.departments, kinds=guide.kinds
            )
            members = bundle_items(entry, guide.items)
            rows = [
                (line.material.name, line.material.mode_label, line.material.form_label)
                for line in checklist(members)
            ]
        # The first section (basic facts) goes above the materials table, the rest below it;
        # the materials section itself is the table.
        head, *rest = sections
        self.guide_head.update(Text("\n".join(head[1])))
        self.materials.clear()
        for name, mode, form in rows:
            cell = Text(name)
            cell.append(f"\n{form}", style="dim")
            self.materials.add_row(cell, Text(mode), height=2)
        body = Text()
        for title, lines in rest:
            if title in ("申请材料", "合并后的材料清单"):
                continue
            body.append(f"\n【{title}】\n", style="bold")
            body.append("\n".join(lines) + "\n")
        self.guide_body.update(body)
        self.guide_box.scroll_home(animate=False)
