"""The intake form's first row: the item (事项) searched as it is typed, by name, pinyin initials
or code, chosen with Enter, and a line saying what the chosen item means at this window (the
department, the due date if accepted today, 即办件, 本站不可受理, a case being resumed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.catalog.shipped import NO_CATALOG
from counter_tui.ui.focus import RoutedInput
from counter_tui.ui.screens.catalog import RESULT_LIMIT, hit_label

if TYPE_CHECKING:
    from textual.widget import Widget

    from counter_tui.cases.commands import Prepared
    from counter_tui.catalog.search import SearchIndex
    from counter_tui.workdays.rules import DueDate


class ItemPicker(Vertical):
    """The search field and its hits; the screen keeps which item is chosen."""

    class Chosen(Message):
        """An item (or bundle) was chosen from the hits."""

        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    class Onward(Message):
        """Enter with no hits to choose from: on to the applicant if an item is chosen."""

    class Said(Message):
        """Something to tell the clerk on the status line (no catalog, nothing found)."""

        def __init__(self, text: str, *, error: bool = False) -> None:
            super().__init__()
            self.text = text
            self.error = error

    entry_input = getters.query_one("#intake-entry", Input)
    hits = getters.query_one("#intake-hits", OptionList)
    info = getters.query_one("#intake-entry-info", Static)

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        #: The catalog's search index, once it is loaded (in a worker of the screen).
        self.index: SearchIndex | None = None
        self._hit_codes: list[str] = []
        #: What the hits are of: Enter searches again only if the text changed since.
        self._searched: str | None = None
        #: Where Enter's choice goes next (the screen's first empty field, or the checklist):
        #: asked at once, so the keys typed behind the Enter land there (ui/focus.py).
        self.onward: Callable[[], Widget | None] = lambda: None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="intake-row"):
            yield Static("事项", classes="intake-label")
            yield RoutedInput(
                placeholder="名称、拼音首字母或编码，回车选定",
                id="intake-entry",
                submit=self._enter,
            )
        yield OptionList(id="intake-hits")
        yield Static("", id="intake-entry-info")

    def on_mount(self) -> None:
        self.hits.display = False

    # --- searching -----------------------------------------------------------------------

    def index_ready(self, index: SearchIndex, *, search: bool) -> None:
        """The index is loaded: search what was typed meanwhile if `search`."""
        self.index = index
        if search and self.entry_input.value:
            self._search(self.entry_input.value)

    @on(Input.Changed, "#intake-entry")
    def _typed(self, event: Input.Changed) -> None:
        # Not stopped: the screen clears the last applicant's status line at the first key.
        if not self.entry_input.has_focus:
            return  # a key of a burst whose Enter has chosen and moved on: its hits are stale
        self._search(event.value)

    def _search(self, query: str) -> None:
        self._searched = query
        if self.index is not None and len(self.index) == 0 and query.strip():
            self.post_message(self.Said(NO_CATALOG, error=True))
            return
        if self.index is None or not query.strip():
            self._hide_hits()
            return
        hits = self.index.search(query, limit=RESULT_LIMIT)
        self._hit_codes = [hit.entry.code for hit in hits]
        self.hits.set_options([Option(hit_label(hit), id=hit.entry.code) for hit in hits])
        self.hits.display = bool(hits)
        if hits:
            self.hits.highlighted = 0
        else:
            self.post_message(self.Said(f"没有找到“{query.strip()}”：试试拼音首字母或别名"))

    def _hide_hits(self) -> None:
        self.hits.display = False
        self._hit_codes = []

    @property
    def offers_hits(self) -> bool:
        """The search field has the cursor and hits to move through (↑/↓)."""
        return self.entry_input.has_focus and bool(self._hit_codes)

    def move(self, step: int) -> None:
        if not self.offers_hits:
            return
        current = self.hits.highlighted or 0
        self.hits.highlighted = max(0, min(len(self._hit_codes) - 1, current + step))

    def _enter(self, field: RoutedInput) -> Widget | None:
        """Enter in the search field, handled as the key arrives: the hits of what is typed
        now (the search of the last keys of a burst has not run yet), the highlighted one
        chosen, and the focus moved on at once."""
        if field.value != self._searched:
            self._search(field.value)
        highlighted = self.hits.highlighted
        if not self._hit_codes or highlighted is None:
            self.post_message(self.Onward())
            return None
        self._choose(self._hit_codes[highlighted])
        return self.onward()

    @on(OptionList.OptionSelected, "#intake-hits")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._choose(event.option.id)

    def _choose(self, code: str) -> None:
        self._hide_hits()
        self.post_message(self.Chosen(code))

    # --- what the chosen item means ------------------------------------------------------

    def show(
        self, prepared: Prepared | None, department: str, due: DueDate | None, case_number: str
    ) -> None:
        """The chosen item's name in the field and its line below (or how to choose one)."""
        if prepared is None:
            self.info.update(Text("请先选择事项（输入名称或拼音首字母，回车选定）", "dim"))
            return
        if self.entry_input.value != prepared.entry.name:
            self._fill(prepared.entry.name)
        info = Text("一件事  " if prepared.entry_kind == "bundle" else "")
        info.append(department)
        if prepared.instant:
            info.append("  即办件：当场办结")
        elif due is not None:
            days = prepared.committed_days
            info.append(f"  承诺 {days} 个工作日，今天受理则 {due.date:%Y-%m-%d} 前办结")
            if due.provisional:
                info.append("（暂定）", style="italic")
        if not prepared.allowed_here:
            info.append("  本站不可受理", style="bold")
        if case_number:
            info.append(f"  续办 {case_number}", style="bold")
        self.info.update(info)

    def focus_search(self) -> None:
        self.entry_input.focus()

    def clear(self) -> None:
        """An empty field, no hits: the next applicant."""
        self._fill("")
        self.hits.display = False

    def _fill(self, value: str) -> None:
        """Set the field without it counting as typing (no search)."""
        with self.entry_input.prevent(Input.Changed):
            self.entry_input.value = value
