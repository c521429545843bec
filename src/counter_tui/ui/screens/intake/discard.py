"""Ctrl+N with something typed: one question before the draft is thrown away.

Asked once, answered with one key: y discards, any other key (Esc, n, Enter …) keeps the draft
and goes back to it. The question is a modal screen, so the y never lands in a field.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class DiscardDraft(ModalScreen[bool]):
    """放弃当前草稿？ True for y, False for any other key."""

    def __init__(self, what: str) -> None:
        super().__init__()
        #: What would be lost, in the clerk's words (the item, the applicant's name).
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Static(Text("放弃当前草稿？", style="bold"), id="ask-title")
            yield Static(Text(self.what))
            yield Static(Text("y 放弃并新建    其他键 返回继续录入", style="dim"))

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(event.key == "y")
