"""The hall display (`counter-tui display`): the calls in big characters, the last calls and how
many wait per category, on a screen the whole hall can see. No login: it shows ticket numbers
and masked names only (DESIGN §4.8).

It looks at the journal's marker every 0.3 s in a worker thread and reads the board only when the
marker moves (and every few seconds regardless, so that the day rolls over), so a call shows
within a second. When the database is busy or gone it keeps the last board on screen, says so,
and carries on by itself when the database answers again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import Resize
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from counter_tui.clock import hall_clock, now_local, set_hall_zone
from counter_tui.ui.hall.callview import hero_call, small_call, small_call_width, waiting_table

if TYPE_CHECKING:
    from counter_tui.queue.board import Board, Call
    from counter_tui.queue.voice import Announcer
    from counter_tui.settings import Settings
    from counter_tui.ui.hall.feed import HallFeed

#: How often the display looks at the journal's marker (s): a call shows within a second.
POLL_EVERY_S = 0.3
#: The board is read again after this long even if nothing was recorded (s): the day changes.
REBUILD_EVERY_S = 5.0
#: While the database does not answer, try again this often (s).
RETRY_EVERY_S = 1.0
#: A look at the database that takes longer than this is reported while it waits (s): SQLite
#: waits up to 10 s for a lock, a PostgreSQL connect for its timeout.
SLOW_AFTER_S = 2.0
#: How long a new call stays highlighted (s).
FRESH_FOR_S = 6.0
#: From this size up the display uses the large layout.
LARGE = (120, 36)
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Layout:
    """How big the calls are drawn at a terminal size."""

    hero_scale: int
    other_scale: int
    #: Rows of further current calls under the latest one.
    other_rows: int


SMALL_LAYOUT = Layout(hero_scale=2, other_scale=1, other_rows=1)
LARGE_LAYOUT = Layout(hero_scale=3, other_scale=2, other_rows=2)


def layout_for(width: int, height: int) -> Layout:
    return LARGE_LAYOUT if width >= LARGE[0] and height >= LARGE[1] else SMALL_LAYOUT


def new_calls(before: Board | None, after: Board) -> tuple[Call, ...]:
    """The calls at the head of `after.recent` that `before` had not seen, newest first.

    Nothing is new on the first board (the display has just started), nor on another day's."""
    if before is None or before.day != after.day:
        return ()
    if not before.recent:
        return after.recent
    seen = before.recent[0]
    fresh: list[Call] = []
    for call in after.recent:
        if call == seen:
            return tuple(fresh)
        fresh.append(call)
    return tuple(fresh)  # more calls than the board lists came since the last look


@dataclass
class BoardRead(Message):
    """The worker read the board at journal marker `marker`."""

    board: Board
    marker: int
    title: str
    at: datetime


@dataclass
class BoardUnchanged(Message):
    """The worker found the marker where it was: nothing to redraw."""


@dataclass
class FeedDown(Message):
    """The database did not answer; `reason` is for the status line, in Chinese."""

    reason: str


class DisplayApp(App[None]):
    """The hall display of one site."""

    CSS_PATH = "../styles/display.tcss"
    TITLE = "counter-tui 叫号显示"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "退出", id="quit", tooltip="关闭叫号显示", priority=True),
    ]

    def __init__(
        self,
        open_feed: Callable[[], HallFeed],
        *,
        clock: Callable[[], datetime] = now_local,
        announcer: Announcer | None = None,
        voice_note: str = "",
        windows: frozenset[str] | None = None,
    ) -> None:
        super().__init__()
        self._open_feed = open_feed
        #: Tests pass a fixed clock so that snapshots do not change every second; read in the
        #: hall's zone whatever the PC's is.
        self.clock = hall_clock(clock)
        self.announcer = announcer
        #: Why there is no voice though it was asked for ("" when there is, or it was not).
        self.voice_note = voice_note
        #: Show only these windows' calls (None: all).
        self.windows = windows
        self.feed: HallFeed | None = None
        self.title_text = ""
        #: The board on screen (None until the database has answered once).
        self.board: Board | None = None
        self.marker: int | None = None
        #: When the board on screen was last known to be current (the hall's clock).
        self.board_at: datetime | None = None
        #: Why the database does not answer, while it does not; else "".
        self.feed_error = ""
        self._read_at = 0.0  # monotonic: staleness must not depend on a test's fixed clock
        self._polling = False
        self._poll_started = 0.0
        self._next_poll = 0.0
        self._fresh: tuple[Call, ...] = ()
        self._fresh_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="title-bar"):
            yield Static(id="site")
            yield Static(id="clock")
        yield Static(id="hero")
        yield Static(id="others")
        with Horizontal(id="lists"):
            yield Static(id="recent")
            yield Static(id="waiting")
        yield Static(id="status")

    def on_mount(self) -> None:
        self.query_one("#recent").border_title = "最近叫号"
        self.query_one("#waiting").border_title = "等候人数"
        self.set_interval(POLL_EVERY_S, self._tick)
        self.set_interval(1, self._show_clock)
        self._show_clock()
        self._show()
        self._tick()

    # --- polling ------------------------------------------------------------------------------

    def _tick(self) -> None:
        if self.announcer is not None:
            self.announcer.pump()
        now = time.monotonic()
        if self._polling:
            waited = now - self._poll_started
            if waited >= SLOW_AFTER_S and self.feed_error != _waiting(waited):
                self.feed_error = _waiting(waited)
                self._show_status()
            return
        if now < self._next_poll:
            return
        self._polling, self._poll_started = True, now
        stale = now - self._read_at >= REBUILD_EVERY_S
        self._poll(None if stale else self.marker)

    @work(thread=True, group="poll")
    def _poll(self, known: int | None) -> None:
        """Read the board if the marker moved from `known`. Posts exactly one message."""
        from sqlalchemy.exc import DBAPIError
        from sqlalchemy.exc import TimeoutError as PoolTimeout

        from counter_tui.errors import DatabaseUnavailable, UserError
        from counter_tui.ui.workers import failure_line

        try:
            if self.feed is None:
                self.feed = self._open_feed()
            feed = self.feed
            mark = feed.marker()
            if mark == known:
                self.post_message(BoardUnchanged())
                return
            now = self.clock()
            self.post_message(BoardRead(feed.board(now), mark, feed.title, now))
        except (DBAPIError, PoolTimeout, DatabaseUnavailable) as exc:
            self.post_message(FeedDown(_reason(exc)))
        except UserError as exc:
            self.post_message(FeedDown(exc.message))
        except Exception as exc:  # the hall sees a sentence, never a traceback (it is logged)
            self.post_message(FeedDown(failure_line(exc, "display poll")))

    @on(BoardRead)
    def _board_read(self, message: BoardRead) -> None:
        self._polling = False
        self._read_at = time.monotonic()
        self.feed_error = ""
        board = self._visible(message.board)
        fresh = new_calls(self.board, board)
        self.board, self.marker, self.board_at = board, message.marker, message.at
        self.title_text = message.title
        if fresh:
            self._highlight(fresh)
            self._announce(fresh)
        self._show_clock()
        self._show()

    @on(BoardUnchanged)
    def _board_unchanged(self) -> None:
        self._polling = False
        self.board_at = self.clock()  # still what the database says
        if self.feed_error:
            self.feed_error = ""
            self._show_status()

    @on(FeedDown)
    def _feed_down(self, message: FeedDown) -> None:
        self._polling = False
        self._next_poll = time.monotonic() + RETRY_EVERY_S
        self.feed_error = message.reason
        self._show_status()

    def _visible(self, board: Board) -> Board:
        if self.windows is None:
            return board
        return replace(
            board,
            current=tuple(c for c in board.current if c.window in self.windows),
            recent=tuple(c for c in board.recent if c.window in self.windows),
        )

    def _highlight(self, fresh: tuple[Call, ...]) -> None:
        self._fresh = fresh
        if self._fresh_timer is not None:
            self._fresh_timer.stop()
        self._fresh_timer = self.set_timer(FRESH_FOR_S, self._unhighlight)

    def _unhighlight(self) -> None:
        self._fresh, self._fresh_timer = (), None
        self._show()

    def _announce(self, fresh: tuple[Call, ...]) -> None:
        if self.announcer is None:
            return
        from counter_tui.queue.voice import announcement

        for call in reversed(fresh):  # in the order they were called
            self.announcer.say(announcement(call.number, call.window))

    # --- drawing ------------------------------------------------------------------------------

    def on_resize(self, _event: Resize) -> None:
        # The app's size is still the old one while the event is handled.
        self.call_after_refresh(self._redraw)

    def _redraw(self) -> None:
        self._show_clock()
        self._show()

    def _show_clock(self) -> None:
        now = self.clock()
        wide = self.size.width >= LARGE[0]
        day = f"{now:%Y年%m月%d日} 星期{WEEKDAYS[now.weekday()]}" if wide else f"{now:%m月%d日}"
        self.query_one("#clock", Static).update(Text(f"{day} {now:%H:%M:%S}"))
        # The site's name is data: a Text, never markup.
        self.query_one("#site", Static).update(Text(self.title_text or "叫号显示"))

    def _show(self) -> None:
        layout = layout_for(*self.size)
        self.screen.set_class(layout is LARGE_LAYOUT, "-large")
        hero = self.query_one("#hero", Static)
        others = self.query_one("#others", Static)
        board = self.board
        latest = board.current[0] if board and board.current else None
        hero.set_class(latest is not None and latest in self._fresh_current(), "fresh")
        if board is None:
            hero.update(Text("正在读取叫号数据…", justify="center"))
        elif latest is None:
            hero.update(Text("暂无叫号，请取号等候", justify="center"))
        else:
            hero.update(hero_call(latest, layout.hero_scale))
        rest = board.current[1:] if board else ()
        others.update(self._others(rest, layout))
        others.display = bool(rest)
        self.query_one("#recent", Static).update(self._recent(board))
        self.query_one("#waiting", Static).update(waiting_table(board))
        self._show_status()

    def _fresh_current(self) -> tuple[Call, ...]:
        """The current calls that are new: a recall is fresh too, though the ticket held the
        window already."""
        if self.board is None:
            return ()
        keys = {(c.number, c.window) for c in self._fresh}
        return tuple(c for c in self.board.current if (c.number, c.window) in keys)

    def _others(self, calls: tuple[Call, ...], layout: Layout) -> RenderableType:
        if not calls:
            return Text()
        cell = max(small_call_width(c, layout.other_scale) for c in calls) + 4
        per_row = max(1, (self.size.width - 2) // cell)
        shown = calls[: per_row * layout.other_rows]
        grid = Table.grid(padding=(0, 2), expand=False)
        for _ in range(min(per_row, len(shown))):
            grid.add_column(justify="left", no_wrap=True)
        fresh = self._fresh_current()
        for start in range(0, len(shown), per_row):
            row = shown[start : start + per_row]
            grid.add_row(*(small_call(c, layout.other_scale, c in fresh) for c in row))
        return grid

    def _recent(self, board: Board | None) -> RenderableType:
        table = Table(box=None, expand=True, show_edge=False, padding=(0, 1))
        for title, justify in (("时间", "left"), ("号码", "left"), ("窗口", "left")):
            table.add_column(title, justify=justify, no_wrap=True)  # type: ignore[arg-type]
        table.add_column("姓名", no_wrap=True, overflow="ellipsis")
        if board is None:
            return table
        for call in board.recent:
            style = "reverse bold" if call in self._fresh else ""
            table.add_row(
                Text(f"{call.at:%H:%M:%S}"),
                Text(call.number, style="bold"),
                Text(f"{call.window} 号窗口"),
                Text(call.name),
                style=style,
            )
        if not board.recent:
            table.add_row(Text("今天还没有叫号", style="dim"))
        return table

    def _show_status(self) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        if self.feed_error:
            shown = f"显示 {self.board_at:%H:%M:%S} 的状态，" if self.board_at else ""
            line.append(f"数据库暂不可用，{shown}正在重试…", style="bold")
            line.append(f"（{self.feed_error}）")
        if self.voice_note:
            if line:
                line.append("  │  ", style="dim")
            line.append(self.voice_note)
        status = self.query_one("#status", Static)
        status.set_class(bool(self.feed_error), "down")
        status.update(line if line else Text("Ctrl+Q 退出", style="dim"))

    def on_unmount(self) -> None:
        if self.announcer is not None:
            self.announcer.close()


def _waiting(seconds: float) -> str:
    return f"已等待数据库应答 {int(seconds)} 秒"


def _reason(exc: Exception) -> str:
    """A short reason from a DBAPI error (its first line, without SQLAlchemy's background link)."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return text[0][:80] if text else type(exc).__name__


def make_display(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = now_local,
    announcer: Announcer | None = None,
    voice_note: str = "",
    windows: frozenset[str] | None = None,
) -> DisplayApp:
    """The one factory for the CLI: the display on `settings`' database, in its hall's zone."""
    set_hall_zone(settings.timezone)

    def open_feed() -> HallFeed:
        from counter_tui.ui.hall.feed import open_feed

        return open_feed(settings)

    return DisplayApp(
        open_feed, clock=clock, announcer=announcer, voice_note=voice_note, windows=windows
    )
