"""Where the hall display reads its board: the node's database, one short read session per look.

Kept apart from the display so that the display can be driven by any feed (the tests use one
that fails on purpose), and so that SQLModel is imported in the display's worker thread, after
the first paint, not when the display module is imported.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import Engine

from counter_tui.db import make_engine, read_session
from counter_tui.queue.board import Board, board, marker
from counter_tui.settings import Settings
from counter_tui.site.service import node, site_name


class HallFeed(Protocol):
    """What the display needs from the database. Every method may raise DatabaseUnavailable
    (busy, gone; or SQLAlchemy's DBAPIError from a feed that is not behind db.read_session):
    the display keeps its last board and retries."""

    #: The site's name for the title line.
    title: str

    def marker(self) -> int: ...

    def board(self, now: datetime) -> Board: ...


class DatabaseFeed:
    """The board of the node's own site."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with read_session(engine) as session:
            self.site = node(session).site
            self.title = site_name(session, self.site)

    def marker(self) -> int:
        with read_session(self.engine) as session:
            return marker(session, self.site)

    def board(self, now: datetime) -> Board:
        with read_session(self.engine) as session:
            return board(session, self.site, now)


def open_feed(settings: Settings) -> DatabaseFeed:
    """The feed on `settings`' database (the CLI has checked that it exists and is current)."""
    return DatabaseFeed(make_engine(settings.db_url))
