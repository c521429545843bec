"""A one-line question in a modal: a deadline, a note, a case number, a reason.

The answer is checked where it is typed: a bad one gets its message under the field and the
text stays, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option


class AskScreen(ModalScreen[str | None]):
    """Returns the typed text (Enter), or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="ask.cancel"),
    ]

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        initial: str = "",
        check: Callable[[str], str | None] | None = None,
        allow_empty: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        self.initial = initial
        self.check = check
        self.allow_empty = allow_empty

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Static(Text(self.title_text, style="bold"), id="ask-title")
            yield Static(Text(self.prompt), id="ask-prompt")
            yield Input(self.initial, id="ask-input")
            yield Static("", id="ask-error")
            yield Static(Text("回车确定  Esc 取消", style="dim"), id="ask-keys")

    def on_mount(self) -> None:
        self.query_one("#ask-input", Input).focus()

    @on(Input.Submitted, "#ask-input")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        problem = None
        if not value and not self.allow_empty:
            problem = "不能为空"
        elif value and self.check is not None:
            problem = self.check(value)
        if problem:
            error = self.query_one("#ask-error", Static)
            error.update(Text(problem))
            error.add_class("error")
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChooseScreen(ModalScreen[str | None]):
    """One of a few choices (↑/↓ or its digit, then Enter): returns its id, or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="choose.cancel"),
    ]

    def __init__(
        self, title: str, choices: tuple[tuple[str, str], ...], initial: str | None = None
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        #: The choice highlighted at first (a proposal: Enter confirms it).
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Static(Text(self.title_text, style="bold"), id="ask-title")
            yield OptionList(
                *(
                    Option(Text(f"{n}  {label}"), id=choice)
                    for n, (choice, label) in enumerate(self.choices, 1)
                ),
                id="choose-list",
            )
            yield Static(Text("数字或 ↑↓ 选择，回车确定  Esc 取消", style="dim"))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        ids = [choice for choice, _ in self.choices]
        if self.initial in ids:
            options.highlighted = ids.index(self.initial)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event: events.Key) -> None:
        key = event.character
        if key and key.isdigit() and 1 <= int(key) <= len(self.choices):
            event.stop()
            self.dismiss(self.choices[int(key) - 1][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
