"""The rating pad (`counter-tui rating-pad --window N`): the applicant at window N rates the
service that just ended, 1–5, on a small second screen or keypad. No login.

It sleeps on a quiet, almost empty screen. Every half second a worker asks the feed which
services ended at the window and wait for a rating (desk/pad.py says how that is known and why
a restart never asks about an old service); the pad wakes with the clerk's name and the masked
applicant. A digit 1–5 (or the arrows and Enter) rates; 4 and 5 ask for a reason from a
numbered list; the pad thanks and sleeps. Nobody answering within `[ratings]
pad_timeout_seconds` of the end is recorded as 未评价. Every time is read from the pad's clock,
so tests move it instead of waiting.

Answers wait in an outbox until the database has them: a busy or absent database loses no
rating, the pad says so on its last line and tries again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.message import Message
from textual.widgets import Static

from counter_tui.clock import hall_clock, now_local, set_hall_zone
from counter_tui.feedback.rules import BAD_LEVELS, LEVELS, REASONS
from counter_tui.ui.pad import view
from counter_tui.ui.pad.model import Answer, sort_out

if TYPE_CHECKING:
    from counter_tui.desk.pad import ServiceEnd
    from counter_tui.settings import Settings
    from counter_tui.ui.pad.feed import PadFeed

#: How often the pad looks for ended services and its clock (s).
POLL_EVERY_S = 0.5
#: How long the thanks stay on screen.
THANKS_FOR = timedelta(seconds=5)
#: Below this height the pad packs its lines without gaps (a 40×12 second screen).
SMALL_HEIGHT = 18
#: The default of `[ratings] pad_timeout_seconds`.
DEFAULT_TIMEOUT = timedelta(seconds=60)

ASLEEP, LEVEL, REASON, THANKS = "asleep", "level", "reason", "thanks"


@dataclass
class Pending(Message):
    """The ends at the window that wait for a rating, oldest first."""

    ends: list[ServiceEnd]


@dataclass
class Saved(Message):
    """The outbox was written: `done` are in the database (or refused: `refusals` say why)."""

    done: list[Answer]
    refusals: list[str]
    error: str


@dataclass
class FeedDown(Message):
    """The database did not answer; `reason` is for the status line, in Chinese."""

    reason: str


class PadApp(App[None]):
    """The rating pad of one window."""

    CSS_PATH = "../styles/pad.tcss"
    TITLE = "counter-tui 服务评价"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "退出", id="quit", tooltip="关闭评价器", priority=True),
        *(
            Binding(str(d), f"digit({d})", str(d), id=f"pad.digit{d}", show=False)
            for d in range(1, 10)
        ),
        Binding("left,up", "move(-1)", "上一项", id="pad.previous", show=False),
        Binding("right,down", "move(1)", "下一项", id="pad.next", show=False),
        Binding("enter", "choose", "确定", id="pad.choose", show=False),
        Binding("escape", "to_levels", "返回", id="pad.back", show=False),
    ]

    def __init__(
        self,
        open_feed: Callable[[], PadFeed],
        window: str,
        *,
        timeout: timedelta = DEFAULT_TIMEOUT,
        clock: Callable[[], datetime] = now_local,
    ) -> None:
        super().__init__()
        self._open_feed = open_feed
        self.window = window
        self.timeout = timeout
        #: Tests pass a clock they move; read in the hall's zone.
        self.clock = hall_clock(clock)
        self.feed: PadFeed | None = None
        self.state = ASLEEP
        #: The end asked about (None asleep).
        self.end: ServiceEnd | None = None
        #: The level given (on the reason and thanks screens).
        self.level: int | None = None
        #: Where the arrow keys are (None until one is pressed).
        self.cursor: int | None = None
        self.deadline: datetime | None = None
        #: Answers not yet in the database, oldest first.
        self.outbox: list[Answer] = []
        #: Keys of the ends this process has answered or closed: the database may not have
        #: them yet, and they must not be asked again meanwhile.
        self.handled: set[tuple[str, str]] = set()
        self.feed_error = ""
        #: How many answers from the feed the pad has had (tests wait for a look to finish).
        self.looks = 0
        self._polling = False
        self._saving = False
        self._reasons = tuple(REASONS.items())

    def compose(self) -> ComposeResult:
        yield Static(id="ask")
        yield Static(id="who")
        yield Static(id="choices")
        yield Static(id="hint")
        yield Static(id="status")

    def on_mount(self) -> None:
        self.set_interval(POLL_EVERY_S, self._tick)
        self._show()
        self._tick()

    # --- looking and saving -------------------------------------------------------------------

    def _tick(self) -> None:
        self._expire()
        if self.outbox and not self._saving:
            self._saving = True
            self._save(tuple(self.outbox))
        if not self._polling:
            self._polling = True
            self._poll(self.clock())

    @work(thread=True, group="poll")
    def _poll(self, now: datetime) -> None:
        """Posts exactly one message: Pending or FeedDown."""
        try:
            if self.feed is None:
                self.feed = self._open_feed()
            self.post_message(Pending(self.feed.pending(now)))
        except Exception as exc:  # the applicant sees a sentence, never a traceback
            self.post_message(FeedDown(_line(exc)))

    @work(thread=True, group="save")
    def _save(self, answers: tuple[Answer, ...]) -> None:
        """Write `answers` in order; stop at a database that does not answer. Posts Saved."""
        from counter_tui.errors import DatabaseUnavailable, UserError

        done: list[Answer] = []
        refusals: list[str] = []
        error = ""
        try:
            if self.feed is None:
                self.feed = self._open_feed()
            for answer in answers:
                try:
                    self.feed.record(answer)
                except DatabaseUnavailable:
                    raise
                except (
                    UserError
                ) as exc:  # rated meanwhile elsewhere (该服务已评价): nothing to keep
                    refusals.append(exc.message)
                done.append(answer)
        except Exception as exc:
            error = _line(exc)
        self.post_message(Saved(done, refusals, error))

    @on(Pending)
    def _pending(self, message: Pending) -> None:
        self._polling = False
        self.looks += 1
        if self.feed_error and not self._saving:
            self.feed_error = ""
            self._show_status()
        current = self.end if self.state in (LEVEL, REASON) else None
        ends = [e for e in message.ends if e.key not in self.handled]
        if current is not None:
            ends = [e for e in ends if e.key != current.key]
        move = sort_out(current, ends)
        now = self.clock()
        for end in move.stale:
            self._close(Answer(end, now))
        if move.supersede:
            self._close_current(now)
        if move.show is not None:
            self._wake(move.show)

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self._saving = False
        done = {id(a) for a in message.done}
        self.outbox = [a for a in self.outbox if id(a) not in done]
        self.feed_error = message.error
        if message.refusals:
            self.log.warning("rating refused: " + "；".join(message.refusals))
        self._show_status()

    @on(FeedDown)
    def _feed_down(self, message: FeedDown) -> None:
        self._polling = False
        self.feed_error = message.reason
        self._show_status()

    # --- the prompt ---------------------------------------------------------------------------

    def _wake(self, end: ServiceEnd) -> None:
        self.state, self.end, self.level, self.cursor = LEVEL, end, None, None
        self.deadline = end.ended_at + self.timeout
        self._show()

    def _close(self, answer: Answer) -> None:
        """Keep `answer` for the database and never ask about its end again."""
        self.handled.add(answer.end.key)
        self.outbox.append(answer)

    def _close_current(self, now: datetime) -> None:
        """The applicant on screen has gone: their level (if they gave one) without a reason,
        else 未评价."""
        if self.end is not None:
            self._close(Answer(self.end, now, self.level))
        self._sleep()

    def _sleep(self) -> None:
        self.state, self.end, self.level, self.cursor, self.deadline = (
            ASLEEP,
            None,
            None,
            None,
            None,
        )
        self._show()

    def _expire(self) -> None:
        if self.deadline is None:
            return
        now = self.clock()
        if now < self.deadline:
            if self.state in (LEVEL, REASON):
                self._show_hint()  # the seconds left
            return
        if self.state == THANKS:
            self._sleep()
        elif self.state in (LEVEL, REASON):
            self._close_current(now)

    def _rate(self, level: int) -> None:
        assert self.end is not None
        self.level = level
        if level in BAD_LEVELS:
            self.state, self.cursor = REASON, None
            self.deadline = self.clock() + self.timeout
            self._show()
        else:
            self._finish(())

    def _finish(self, reasons: tuple[str, ...]) -> None:
        assert self.end is not None
        now = self.clock()
        self._close(Answer(self.end, now, self.level, reasons))
        self.state, self.cursor, self.deadline = THANKS, None, now + THANKS_FOR
        self._show()
        self._tick()  # save now, not at the next tick

    def action_digit(self, digit: int) -> None:
        """1–5 rate; on the reason list, the reason's number."""
        if self.state == LEVEL and digit in LEVELS:
            self._rate(digit)
        elif self.state == REASON and 1 <= digit <= len(self._reasons):
            self._finish((self._reasons[digit - 1][0],))

    def action_move(self, step: int) -> None:
        """The arrow keys move the highlight; Enter takes it."""
        count = len(LEVELS) if self.state == LEVEL else len(self._reasons)
        if self.state not in (LEVEL, REASON):
            return
        if self.cursor is None:
            self.cursor = 0 if step > 0 else count - 1
        else:
            self.cursor = (self.cursor + step) % count
        self._show_choices()

    def action_choose(self) -> None:
        if self.cursor is None:
            return
        if self.state == LEVEL:
            self._rate(list(LEVELS)[self.cursor])
        elif self.state == REASON:
            self._finish((self._reasons[self.cursor][0],))

    def action_to_levels(self) -> None:
        """From the reasons back to the levels (the applicant changed their mind)."""
        if self.state == REASON and self.end is not None:
            self.state, self.level, self.cursor = LEVEL, None, None
            self.deadline = max(self.deadline or self.clock(), self.end.ended_at + self.timeout)
            self._show()

    # --- drawing ------------------------------------------------------------------------------

    def on_resize(self, _event: Resize) -> None:
        self.call_after_refresh(self._show)

    def _show(self) -> None:
        awake = self.state != ASLEEP
        self.screen.set_class(not awake, "-asleep")
        self.screen.set_class(self.size.height < SMALL_HEIGHT, "-small")
        self.screen.set_class(self.state == REASON, "-reason")
        ask = self.query_one("#ask", Static)
        who = self.query_one("#who", Static)
        if self.state == THANKS:
            ask.update(Text())
        else:
            ask.update(Text("请您对本次服务进行评价", justify="center") if awake else Text())
        who.update(view.who(self.end) if self.end is not None else Text())
        self._show_choices()
        self._show_hint()
        self._show_status()

    def _show_choices(self) -> None:
        choices = self.query_one("#choices", Static)
        if self.state == LEVEL:
            cursor = list(LEVELS)[self.cursor] if self.cursor is not None else None
            choices.update(view.levels(LEVELS, cursor, *self.size))
        elif self.state == REASON:
            choices.update(view.reasons(LEVELS[self.level or 0], self._reasons, self.cursor))
        elif self.state == THANKS:
            choices.update(view.thanks(LEVELS.get(self.level or 0, "")))
        else:
            choices.update(Text())

    def _show_hint(self) -> None:
        hint = self.query_one("#hint", Static)
        if self.state not in (LEVEL, REASON) or self.deadline is None:
            hint.update(Text())
            return
        left = max(0, int((self.deadline - self.clock()).total_seconds()))
        last = len(LEVELS) if self.state == LEVEL else len(self._reasons)
        if self.size.width < view.BIG[0]:
            keys = f"请按 1–{last}" + ("，Esc 返回" if self.state == REASON else "")
        else:
            keys = f"请按数字键 1–{last}，或用方向键选择后按回车"
            keys += "；Esc 返回" if self.state == REASON else ""
        hint.update(Text(f"{keys}（{left} 秒）", justify="center"))

    def _show_status(self) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        if self.feed_error:
            kept = f"，{len(self.outbox)} 条评价待保存" if self.outbox else ""
            line.append(f"数据库暂不可用，正在重试{kept}（{self.feed_error}）", style="bold")
        else:
            line.append(f"{self.window} 号窗口", style="dim")
        status = self.query_one("#status", Static)
        status.set_class(bool(self.feed_error), "down")
        status.update(line)


def _line(exc: Exception) -> str:
    from counter_tui.ui.workers import failure_line

    return failure_line(exc, "rating pad")


def make_pad(
    settings: Settings,
    window: str,
    *,
    timeout: timedelta = DEFAULT_TIMEOUT,
    clock: Callable[[], datetime] = now_local,
) -> PadApp:
    """The one factory for the CLI and the tests: the pad of `window` on `settings`' database,
    in its hall's zone."""
    set_hall_zone(settings.timezone)

    def open_feed() -> PadFeed:
        from counter_tui.ui.pad.feed import open_feed

        return open_feed(settings, window, timeout)

    return PadApp(open_feed, window, timeout=timeout, clock=clock)
