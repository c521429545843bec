"""The main screen's sections (F2–F6): header, the section's body, footer with live bindings.

Later issues replace each body with the real work area; until then the body says plainly that
the section is not built yet, so nobody mistakes it for a finished screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from counter_tui.ui.sections import BY_NAME, Section
from counter_tui.ui.widgets.footer import KeyFooter
from counter_tui.ui.widgets.header import CounterHeader
from counter_tui.ui.widgets.training_bar import TrainingBar

if TYPE_CHECKING:
    from counter_tui.actor import Actor
    from counter_tui.ui.app import CounterApp


class SectionScreen(Screen[None]):
    """One F-key section. `section` names its row in ui.sections.SECTIONS."""

    section_name = ""

    @property
    def section(self) -> Section:
        return BY_NAME[self.section_name]

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    @property
    def actor(self) -> Actor | None:
        """Who is signed in at this window (None on the way out)."""
        signed = self.counter.signed_in
        return signed.actor if signed else None

    def on_unmount(self) -> None:
        # A signal holds on to its subscriber until it unsubscribes, and each sign-in makes
        # fresh section screens: without this, every session's screens stayed in memory for
        # the rest of the day (about 12 MB a sign-in, found in an hour of use).
        self.counter.desk_signal.unsubscribe(self)

    def on_screen_resume(self) -> None:
        # Back on this section (F-key, or `s` on F3 opening the intake): the header drawn when
        # it was last shown may be out of date (the window's ticket, the warnings); it would
        # otherwise wait for its once-a-second repaint (a loaded CI run took its picture first).
        for header in self.query(CounterHeader):
            header.refresh()

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        with Vertical(classes="section-body"):
            yield Static(
                Text(f"{self.section.title}（{self.section.key.upper()}）"), classes="section-title"
            )
            yield from self.compose_body()
        yield TrainingBar()  # a demo's training run only; takes no room otherwise
        yield KeyFooter(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        yield Static(Text(self.section.purpose), classes="section-purpose")
        yield Static(
            Text("本栏目尚未开放：功能将在后续版本提供。按 F1 查看可用的按键。"),
            classes="section-pending",
        )
