"""A one-line question in a modal: a deadline, a note, a case number, a reason; one of a few
choices; or one of the usual answers picked by digit, with room for one's own (PickScreen).

The answer is checked where it is typed: a bad one gets its message under the field and the
text stays, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
        self,
        title: str,
        choices: tuple[tuple[str, str], ...],
        initial: str | None = None,
        *,
        unavailable: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        #: The choice highlighted at first (a proposal: Enter confirms it).
        self.initial = initial
        #: Choices shown greyed, their digit doing nothing: listed all the same, so that each
        #: keeps its number whatever the state and a practised hand's digit never picks the
        #: neighbour (a ticket in service has no 过号; its 保留 stays 4).
        self.unavailable = unavailable

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Static(Text(self.title_text, style="bold"), id="ask-title")
            yield OptionList(
                *(
                    Option(
                        Text(f"{n}  {label}", style="dim" if choice in self.unavailable else ""),
                        id=choice,
                        disabled=choice in self.unavailable,
                    )
                    for n, (choice, label) in enumerate(self.choices, 1)
                ),
                id="choose-list",
            )
            yield Static(Text("数字或 ↑↓ 选择，回车确定  Esc 取消", style="dim"))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        ids = [choice for choice, _ in self.choices]
        if self.initial in ids and self.initial not in self.unavailable:
            options.highlighted = ids.index(self.initial)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event: events.Key) -> None:
        key = event.character
        if key and key.isdigit() and 1 <= int(key) <= len(self.choices):
            event.stop()
            choice = self.choices[int(key) - 1][0]
            if choice in self.unavailable:
                self.app.bell()
            else:
                self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PickScreen(ModalScreen[str | None]):
    """The usual answers, numbered, above a line of one's own (其他…): returns the line's text
    (Enter), or None (Esc).

    In the list a digit takes its answer: at once, or with `multiple` it adds the answer to the
    line (or takes it back out), so that several combine and Enter gives them all. The line
    stays editable: 其他… (its digit, or Tab) goes to it, and a character typed in the list
    goes there too, so nothing typed is lost. Enter on a highlighted answer while the line is
    empty takes that answer.
    """

    DEFAULT_CSS = """
    PickScreen {
        align: center middle;
    }
    #answer-list {
        height: auto;
        max-height: 12;
        border: none;
    }
    #answer-input {
        border: none;
        height: 1;
        padding: 0 1;
        background: $primary 30%;
        margin: 1 0 0 0;
    }
    #answer-error {
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="pick.cancel"),
    ]

    #: What joins the answers combined on the line.
    SEPARATOR = "；"

    def __init__(
        self,
        title: str,
        prompt: str,
        answers: Sequence[str],
        *,
        initial: str = "",
        multiple: bool = False,
        allow_empty: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        #: The usual answers; at most nine, so that one digit reaches each and 其他… too.
        self.answers = tuple(answers)[:8]
        self.initial = initial
        self.multiple = multiple
        self.allow_empty = allow_empty

    def compose(self) -> ComposeResult:
        keys = "数字选择（可多选）" if self.multiple else "数字选择"
        with Vertical(id="ask-box", classes="pick-box"):
            yield Static(Text(self.title_text, style="bold"), id="ask-title")
            yield Static(Text(self.prompt), id="ask-prompt")
            yield OptionList(*self._options(self.initial), id="answer-list")
            yield Input(
                self.initial, id="answer-input", placeholder="其他：自行填写", select_on_focus=False
            )
            yield Static("", id="answer-error")
            yield Static(
                Text(f"{keys}  Tab 自行填写  回车确定  Esc 取消", style="dim"),
                id="answer-keys",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @property
    def line(self) -> Input:
        return self.query_one("#answer-input", Input)

    @property
    def other(self) -> int:
        """The index of 其他… in the list."""
        return len(self.answers)

    def _parts(self, text: str) -> list[str]:
        return [part.strip() for part in text.split(self.SEPARATOR) if part.strip()]

    def _options(self, text: str) -> list[Option]:
        chosen = set(self._parts(text)) if self.multiple else set()
        options = []
        for n, answer in enumerate(self.answers, 1):
            label = Text(f"{n} ")
            label.append("✓ " if answer in chosen else "  ", style="bold green")
            label.append(answer)
            options.append(Option(label))
        options.append(Option(Text(f"{self.other + 1}   其他…（自行填写）")))
        return options

    @on(Input.Changed, "#answer-input")
    def _marks(self, event: Input.Changed) -> None:
        if not self.multiple:
            return
        listing = self.query_one(OptionList)
        for index, option in enumerate(self._options(event.value)):
            listing.replace_option_prompt_at_index(index, option.prompt)

    def _set_line(self, text: str) -> None:
        self.line.value = text
        self.line.cursor_position = len(text)

    def _write(self, first: str = "") -> None:
        """To the line, the cursor at its end, with `first` (typed in the list) added."""
        if first:
            self._set_line(self.line.value + first)
        self.line.focus()
        self.line.cursor_position = len(self.line.value)

    def _take(self, index: int) -> None:
        """The answer at `index`: taken (or, with `multiple`, added to or taken off the line)."""
        self.query_one(OptionList).highlighted = index
        if index == self.other:
            self._write()
            return
        answer = self.answers[index]
        if not self.multiple:
            self.dismiss(answer)
            return
        parts = self._parts(self.line.value)
        if answer in parts:
            parts.remove(answer)
        else:
            parts.append(answer)
        self._set_line(self.SEPARATOR.join(parts))

    def on_key(self, event: events.Key) -> None:
        if not self.query_one(OptionList).has_focus:
            return
        key = event.character
        if key and key.isdigit() and 1 <= int(key) <= self.other + 1:
            event.stop()
            self._take(int(key) - 1)
        elif event.key == "space" and self.multiple:
            event.stop()
            highlighted = self.query_one(OptionList).highlighted
            if highlighted is not None:
                self._take(highlighted)
        elif event.is_printable and key and not key.isdigit():
            event.stop()
            self._write(key)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        if index == self.other:
            self._write()
        elif not self.multiple or not self.line.value.strip():
            self._take(index)
            if self.multiple:
                self._submit()
        else:
            self._submit()

    @on(Input.Submitted, "#answer-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def _submit(self) -> None:
        value = self.line.value.strip()
        if not value and not self.allow_empty:
            error = self.query_one("#answer-error", Static)
            error.update(Text("请选择或填写"))
            error.add_class("error")
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
