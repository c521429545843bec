"""Where the rating pad reads and writes: the node's application layer (desk), opened in the
pad's worker thread so that SQLModel is imported after the first paint.

Kept apart from the app so that the pad can be driven by any feed (the tests use one that fails
on purpose)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from counter_tui.actor import Actor
from counter_tui.desk.node import Desk, open_desk
from counter_tui.desk.pad import ServiceEnd
from counter_tui.settings import Settings

if TYPE_CHECKING:
    from counter_tui.ui.pad.model import Answer


class PadFeed(Protocol):
    """What the pad needs from the database. Every method may raise DatabaseUnavailable; `record`
    raises a UserError when the rating is refused (rated already)."""

    def pending(self, now: datetime) -> list[ServiceEnd]: ...

    def record(self, answer: Answer) -> None: ...


class DeskFeed:
    """The pad of one window of the node's own site."""

    def __init__(self, desk: Desk, window: str, timeout: timedelta) -> None:
        self.desk = desk
        self.window = window
        self.timeout = timeout
        #: The pad records as a program, not a person: "pad:3" in the journal.
        self.actor = pad_actor(desk.node.site, window)

    def pending(self, now: datetime) -> list[ServiceEnd]:
        return self.desk.pad.pending(self.window, now, self.timeout)

    def record(self, answer: Answer) -> None:
        end = answer.end
        self.desk.feedback.record(
            self.actor,
            kind=end.kind,
            channel="window",
            level=answer.level,
            given=answer.given,
            ticket_id=end.ticket_id,
            case=end.case_number if end.kind == "case" else "",
            reasons=answer.reasons,
            now=answer.at,
        )


def pad_actor(site: str, window: str) -> Actor:
    return Actor(username=f"pad:{window}", role="operator", site=site, window=window)


def open_feed(settings: Settings, window: str, timeout: timedelta) -> DeskFeed:
    """The feed on `settings`' database (the CLI has checked that it exists and is current)."""
    return DeskFeed(open_desk(settings), window, timeout)
