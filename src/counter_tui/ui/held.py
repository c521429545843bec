"""The ticket this window holds, as the app keeps it for the header, and what signing out or
quitting does about it.

The header repaints every second and must not read the database to do it: the app keeps a copy
(`HeldKeeper.ticket`), set by the queue screen each time it loads or acts, and read again at
sign-in, when a case changes and with the header's warnings count. A reception (导服台) holds
no ticket. Signing out (F9) or quitting (Ctrl+Q) while the window has a ticket called or in
service asks what becomes of it (issue 15: the next clerk inherited A004, still called); the
idle sign-out cannot wait for an answer, leaves the ticket and says so on the login screen.
A guard in the interface only: the services enforce nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text

from counter_tui.clock import now_local
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.actor import Actor
    from counter_tui.desk.node import Desk
    from counter_tui.queue.reads import Ticket
    from counter_tui.ui.app import CounterApp

#: A priority reason typed as 其他 may be long: the header keeps this many cells of it.
REASON_CELLS = 10


@dataclass(frozen=True)
class HeldTicket:
    """What the header says about the window's ticket."""

    number: str
    category_name: str
    #: 绿色通道: why ("" for an ordinary ticket).
    priority_reason: str
    #: "called" or "serving".
    state: str
    state_label: str
    calls: int

    @classmethod
    def of(cls, ticket: Ticket, category_name: str) -> HeldTicket:
        return cls(
            number=ticket.number,
            category_name=category_name,
            priority_reason=ticket.priority_reason if ticket.priority else "",
            state=ticket.state,
            state_label=ticket.state_label,
            calls=ticket.calls,
        )

    def text(self, *, category: bool = True) -> Text:
        """A004 综合受理 绿色通道·老年人 已叫号 (without the category where room is short)."""
        line = Text(no_wrap=True)
        line.append(self.number, style="bold")
        if category and self.category_name:
            line.append(" ")
            line.append(self.category_name)
        if self.priority_reason:
            reason = Text(f"绿色通道·{self.priority_reason}")
            reason.truncate(REASON_CELLS + 5, overflow="ellipsis")
            line.append(" ")
            line.append_text(reason)
        line.append(" ")
        line.append(self.state_label, style="bold" if self.state == "serving" else "")
        return line


class HeldKeeper:
    """The app's copy of the held ticket, and the question before leaving it."""

    def __init__(self, app: CounterApp) -> None:
        self.app = app
        #: The ticket this window has called or serves (None: free, unknown, or a reception).
        self.ticket: HeldTicket | None = None
        #: How many times the ticket was shown: a read begun before the last `show` is older
        #: than what it would overwrite (sign-in's read finishing after `n` and `s`).
        self._shown = 0

    def show(self, ticket: Ticket | None, category_name: str = "") -> None:
        """The queue screen (or a read) saw the window's ticket: the header says it now."""
        self._shown += 1
        held = None if ticket is None else HeldTicket.of(ticket, category_name)
        if held != self.ticket:
            self.ticket = held
            self.app.refresh_header()

    def forget(self) -> None:
        self.ticket = None

    def reload(self) -> None:
        """Read the window's ticket again, in a worker (one short query)."""
        desk, app = self.app.desk, self.app
        if desk is None or app.signed_in is None or app.settings.reception:
            return

        began = self._shown

        def read() -> None:
            found = desk.queue.held(app.settings.window)
            hand_back(self._read, began, *(found or (None, "")))

        app.run_worker(read, thread=True, exclusive=True, group="held")

    def _read(self, began: int, ticket: Ticket | None, category_name: str) -> None:
        """A read's result, unless the queue screen showed a newer picture meanwhile."""
        if self._shown == began:
            self.show(ticket, category_name)

    # --- leaving --------------------------------------------------------------------------

    def before_leaving(self, verb: str, then: Callable[[], Any]) -> None:
        """Run `then` (sign out, quit) once the window's ticket is dealt with: asked when one
        is called or in service, at once when none is (or nobody here calls tickets)."""
        from counter_tui.accounts.rules import allowed

        app, desk = self.app, self.app.desk
        signed = app.signed_in
        if (
            desk is None
            or signed is None
            or app.settings.reception
            or not allowed(signed.actor.role, "queue.call")
        ):
            app.call_later(then)
            return
        actor, window = signed.actor, app.settings.window

        def look() -> None:
            found = desk.queue.held(window)
            proposal = desk.queue.proposed_outcome(window) if found else ""
            hand_back(self._ask, verb, found, proposal, then, desk, actor)

        app.run_worker(look, thread=True, exclusive=True, group="held-leave")

    def _ask(
        self,
        verb: str,
        found: tuple[Ticket, str] | None,
        proposal: str,
        then: Callable[[], Any],
        desk: Desk,
        actor: Actor,
    ) -> None:
        from counter_tui.ui.screens.ask import ChooseScreen

        if found is None:
            self.show(None)
            self.app.call_later(then)
            return
        ticket, name = found
        self.show(ticket, name)
        number = ticket.number
        called = ticket.state == "called"
        choices = (
            ("finish", f"办结 {number}（选择办理结果）"),
            ("no_show", f"{number} 过号（叫号未到）" if called else "过号（已开始办理，不可用）"),
            ("park", f"{number} 暂离（申请人稍后回来，由本窗口叫回）"),
            ("keep", f"保留 {number}，留给下一位登录本窗口的人"),
            ("cancel", f"取消，不{verb}"),
        )

        def chosen(choice: str | None) -> None:
            if choice in (None, "cancel"):
                return
            if choice == "keep":
                self.app.call_later(then)
            elif choice == "finish":
                self._finish(verb, proposal, then, desk, actor)
            else:
                self._step(choice, then, desk, actor)

        title = f"{number} {ticket.state_label}：{verb}前如何处理这个号？"
        unavailable = frozenset() if called else frozenset({"no_show"})
        self.app.push_screen(ChooseScreen(title, choices, unavailable=unavailable), chosen)

    def _finish(
        self, verb: str, proposal: str, then: Callable[[], Any], desk: Desk, actor: Actor
    ) -> None:
        from counter_tui.queue.commands import OUTCOMES
        from counter_tui.ui.screens.ask import AskScreen, ChooseScreen

        def noted(note: str | None) -> None:
            if note is not None:
                self._step("finish", then, desk, actor, outcome="other", note=note)

        def chosen(outcome: str | None) -> None:
            if outcome == "other":
                self.app.push_screen(AskScreen("办结：其他", "请写明办理结果"), noted)
            elif outcome is not None:
                self._step("finish", then, desk, actor, outcome=outcome)

        screen = ChooseScreen(f"办理结果（然后{verb}）", tuple(OUTCOMES.items()), initial=proposal)
        self.app.push_screen(screen, chosen)

    def _step(
        self, name: str, then: Callable[[], Any], desk: Desk, actor: Actor, **kw: Any
    ) -> None:
        """Take the step, then leave; a refused step (a busy database) is said and the clerk
        stays signed in."""
        app = self.app
        window = app.settings.window

        def step() -> None:
            now = now_local(app.clock()).replace(microsecond=0)
            desk.queue.step(actor, name, window, now, **kw)
            hand_back(self._left, then)

        app.run_worker(step, thread=True, exclusive=True, group="held-leave")

    def _left(self, then: Callable[[], Any]) -> None:
        self.show(None)
        self.app.call_later(then)

    def idle_note(self) -> str:
        """What the idle sign-out adds to its note about a ticket it left."""
        held = self.ticket
        if held is None:
            return ""
        return f"；{held.number} 仍{held.state_label}，保留在本窗口，请处理"
