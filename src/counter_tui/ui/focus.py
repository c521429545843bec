"""Keys that arrive in a burst land where the clerk meant them: an ID-card reader, a barcode
scanner, a paste, or `tmux send-keys 'abc' Tab 'def'`.

Textual's app takes every key off the terminal and forwards it to the widget focused *at that
moment*, by posting it to the widget's queue. A focus change that comes later — Tab bubbling
from the input up to the screen's binding, Enter's `Submitted` message, an auto-advance decided
in a `Changed` handler — comes after the app has already forwarded the keys behind it to the
old field: "abc" Tab "def" gave "abcdef".

`RoutedInput` therefore handles its keys when the app forwards them, in the order they came,
before the app looks at the next one: a printable character is inserted, the input's own keys
(Backspace, ←, Home …) run, and Tab, Shift+Tab, Enter and an auto-advance move the focus with
`Screen.set_focus` (synchronous; `Widget.focus` waits for the next turn of the loop). The next
key is then forwarded to the field that has the focus now. Keys the input does not own (F8,
Ctrl+O, ↑ …) go the usual way.

An auto-advance is what a reader or a practised clerk does not expect: the key that comes right
after it would skip a field. So after an auto-advance the field it moved to lets one key go by:
a Tab as the very next key (the clerk's habit) is dropped, and so is an Enter that came in the
same burst (an ID-card reader's number + Enter). A field made with `hold_enter` (the name after
an ID number) also drops that Enter later, as long as it is still empty: an Enter there would
only skip it. An Enter on a filled field is the clerk's own and moves on (a returning
applicant's name, filled in, is confirmed with it). Any other key, or leaving the field, ends
the grace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.actions import SkipAction, parse
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.widget import Widget

#: Keys dropped when they come straight after an auto-advance: Tab at any speed, Enter in the
#: same burst or on an empty `hold_enter` field (see the module docstring).
GRACE_KEYS = frozenset({"tab", "enter"})


class RoutedInput(Input):
    """An input that takes its keys as the app forwards them (see the module docstring).

    `advance(input)` is asked after each typed character or paste: the widget to move to when
    the value is complete (a valid ID number …), else None. `submit(input)` is Enter: the widget
    to move to, or None to stay. Neither may wait for anything.
    """

    def __init__(
        self,
        *,
        advance: Callable[[RoutedInput], Widget | None] | None = None,
        submit: Callable[[RoutedInput], Widget | None] | None = None,
        hold_enter: bool = False,
        id: str | None = None,
        classes: str | None = None,
        placeholder: str = "",
        password: bool = False,
        max_length: int = 0,
    ) -> None:
        # Never select everything on focus: the next key would erase what was typed.
        super().__init__(
            id=id,
            classes=classes,
            select_on_focus=False,
            placeholder=placeholder,
            password=password,
            max_length=max_length,
        )
        self._advance = advance
        self._submit = submit
        self._hold_enter = hold_enter
        #: Set by an auto-advance into this field: the keys dropped if they come next.
        self.grace: frozenset[str] = frozenset()
        #: Whether the burst that brought the auto-advance has been handled.
        self._burst_over = True

    def _forward_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self._take_key(event):
            return
        if isinstance(event, events.Paste) and event.text:
            self.grace = frozenset()
            self._insert(event.text.splitlines()[0])
            return
        super()._forward_event(event)

    def _take_key(self, event: events.Key) -> bool:
        """Handle `event` now; False for a key that goes the usual way (bindings above)."""
        grace, self.grace = self.grace, frozenset()
        key = event.key
        if key in grace and (
            key == "tab" or not self._burst_over or (self._hold_enter and not self.value)
        ):
            return True
        if key == "tab":
            self.screen.focus_next()
            return True
        if key == "shift+tab":
            self.screen.focus_previous()
            return True
        if key == "enter":
            if self._submit is not None:
                self._move_to(self._submit(self))
            else:
                self.post_message(self.Submitted(self, self.value))
            return True
        if event.is_printable and event.character is not None:
            self._insert(event.character)
            return True
        return self._run_own_binding(key)

    def _insert(self, text: str) -> None:
        self._restart_blink()
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)
        if self._advance is not None:
            target = self._advance(self)
            if target is not None and self._move_to(target) and isinstance(target, RoutedInput):
                target.grace, target._burst_over = GRACE_KEYS, False
                # Runs once the app has handled the keys already waiting: the burst is over.
                self.app.call_later(target.end_burst)

    def end_burst(self) -> None:
        self._burst_over = True

    def _move_to(self, target: Widget | None) -> bool:
        if target is None or target is self or not target.focusable:
            return False
        self.screen.set_focus(target)
        return True

    def _run_own_binding(self, key: str) -> bool:
        """One of the input's own keys (Backspace, ←, Ctrl+U …), run in order with the rest.
        A binding that does not apply here (↑/↓ scroll a one-line input: SkipAction, as Textual
        says it) leaves the key to the bindings above, as Textual's own dispatch does: the item
        search's ↓ moves through its hits (it ended the app)."""
        for binding in self._bindings.key_to_bindings.get(key, ()):
            _, name, args = parse(binding.action)
            method = getattr(self, f"action_{name}", None)
            if method is None:
                continue
            try:
                result = method(*args)
            except SkipAction:
                continue
            if result is not None:  # an async action (paste from the clipboard): let it run
                self.call_next(lambda awaitable=result: awaitable)
            return True
        return False

    def _on_blur(self, event: events.Blur) -> None:
        self.grace = frozenset()
        super()._on_blur(event)
