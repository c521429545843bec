"""Sync in the app: rounds in the background and on demand, and the status the header shows.

A round (`desk.sync.run`: network calls around short transactions) runs in a thread worker, so
the clerk never waits on it; a lock makes sure one app never runs two at once (a key pressed
during a background round waits for that round's outcome instead). Background rounds come every
`[sync] interval_seconds`, only on a registered, non-demo node; after a failure the next one
backs off (`sync.client.backoff_seconds`: doubling, with jitter, up to ten minutes), so a hall
of PCs coming back online do not knock at once. The node's `SyncStatus` is read after each
round and otherwise every few seconds — never by the header's paint, which runs every second.

What comes back to people: a round asked for by the key says its outcome on the screen's status
line; a step the hub turned down is notified to the clerk who took it, and to nobody else (at
once when they are signed in, else at their next sign-in); a clock off from the hub's by more
than five minutes is said once, and marked in the header for as long as it lasts.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.css.query import NoMatches

from counter_tui.errors import UserError
from counter_tui.ui.messages import CasesArrived
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.widgets.sync_state import clock_skew_minutes, clock_skew_notice
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.desk.node import Desk
    from counter_tui.desk.records import Rejection, SyncRound, SyncStatus
    from counter_tui.ui.app import CounterApp

#: How often the keeper looks at the time: whether a round is due, whether to read the status.
TICK_S = 5.0
#: The status is read from the database at most this often between rounds.
STATUS_EVERY_S = 10.0
#: Back-off after failed rounds stops growing here (or at the interval, if that is longer).
BACKOFF_CAP_S = 600.0
#: The back-off's base when the interval is 0 (rounds only on demand: no back-off is used).
BACKOFF_BASE_S = 60.0
#: A notification the clerk must be able to read to the end.
NOTICE_TIMEOUT_S = 30.0
#: Rejections notified one by one; beyond that, one line says how many more.
REJECTIONS_SHOWN = 3


@dataclass(frozen=True)
class RoundOutcome:
    """What a round hands back to the app's thread."""

    #: The round, when it succeeded.
    done: SyncRound | None
    #: Why not, in Chinese, when it failed.
    failure: str
    #: The status after the round (None when it could not be read).
    status: SyncStatus | None


class SyncKeeper:
    """The app's side of sync, for one app (one window)."""

    def __init__(
        self,
        app: CounterApp,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.app = app
        #: Seconds between background rounds; 0: only on demand.
        self.interval = app.settings.sync.interval_seconds
        #: The node's sync status as last read (None: not read yet).
        self.status: SyncStatus | None = None
        #: Failed rounds in a row (the back-off grows with it).
        self.failures = 0
        self._monotonic = monotonic
        self._rng = rng
        self._lock = threading.Lock()
        #: When (monotonic) the next background round is due: at once, at first.
        self._next_round = 0.0
        self._status_asked: float | None = None
        #: Say the outcome of the round under way on the status line (the key was pressed).
        self._report = False
        self._skew_warned = False
        self._ticking = False

    @property
    def running(self) -> bool:
        """A round is under way."""
        return self._lock.locked()

    def start(self) -> None:
        """The database is open: read the status now, then look at the time every few seconds."""
        if not self._ticking:
            self._ticking = True
            self.app.set_interval(TICK_S, self.tick)
        self.read_status()

    def tick(self) -> None:
        """Start a background round if one is due, else read the status if it is old."""
        desk = self.app.desk
        if desk is None:
            return
        now = self._monotonic()
        if self._round_due(now):
            self._start_round(desk)
        elif not self.running and (
            self._status_asked is None or now - self._status_asked >= STATUS_EVERY_S
        ):
            self.read_status()

    def _round_due(self, now: float) -> bool:
        status = self.status
        return (
            self.interval > 0
            and status is not None
            and status.registered
            and not status.demo
            and not self.running
            and now >= self._next_round
        )

    def sync_now(self) -> None:
        """The key: a round now, its outcome on the status line. A demo or unregistered node
        gets the door's refusal there; a round already under way is not doubled."""
        desk = self.app.desk
        if desk is None:
            return
        self._report = True
        if self.running:
            say(self.app, "正在同步，完成后在此显示结果")
            return
        say(self.app, "正在同步…")
        self._start_round(desk)

    def _start_round(self, desk: Desk) -> None:
        # Set before the round: a round that fails in an unexpected way (reported by the
        # failure rule) is not started again at every tick.
        self._next_round = self._monotonic() + max(self.interval, TICK_S)
        self.app.run_worker(
            partial(self._round, desk), name="sync round", group="sync", thread=True
        )

    def _round(self, desk: Desk) -> None:
        """The worker: one round, unless one is under way already."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            try:
                done = desk.sync.run()
            except UserError as exc:  # SyncFailed, a busy or full database
                outcome = RoundOutcome(None, exc.message, _status_of(desk))
            else:
                outcome = RoundOutcome(done, "", done.status)
        finally:
            self._lock.release()
        hand_back(self._round_done, outcome)

    def _round_done(self, outcome: RoundOutcome) -> None:
        from counter_tui.sync.client import backoff_seconds  # loaded by the round already

        now = self._monotonic()
        if outcome.done is None:
            self.failures += 1
            base = float(self.interval) or BACKOFF_BASE_S
            cap = max(BACKOFF_CAP_S, base)
            self._next_round = now + backoff_seconds(self.failures, base, cap, self._rng)
        else:
            self.failures = 0
            self._next_round = now + self.interval
        if outcome.status is not None:
            self.show_status(outcome.status)
        if self._report:
            self._report = False
            if outcome.done is None:
                say(self.app, outcome.failure, error=True)
            else:
                say(self.app, round_line(outcome.done))
        if outcome.done is not None:
            if outcome.done.pulled:
                # What the hub decided shows at once: the header's counts and an open worklist.
                self.app.case_changed()
                self.app.screen.post_message(CasesArrived())
            self.notify_rejections(outcome.done.rejections)

    # --- status ----------------------------------------------------------------------------

    def read_status(self) -> None:
        desk = self.app.desk
        if desk is None:
            return
        self._status_asked = self._monotonic()
        self.app.run_worker(
            partial(self._read_status, desk),
            name="sync status",
            group="sync-status",
            thread=True,
            exclusive=True,
        )

    def _read_status(self, desk: Desk) -> None:
        status = _status_of(desk)
        if status is not None:
            hand_back(self.show_status, status)

    def show_status(self, status: SyncStatus) -> None:
        """Keep `status` for the header and repaint it; say a clock off from the hub's once."""
        from counter_tui.ui.widgets.header import CounterHeader

        self.status = status
        minutes = clock_skew_minutes(status)
        if minutes is None:
            self._skew_warned = False  # put right: warn again if it drifts off again
        elif not self._skew_warned:
            self._skew_warned = True
            self.app.notify(
                clock_skew_notice(minutes),
                title="时钟偏差",
                severity="warning",
                timeout=NOTICE_TIMEOUT_S,
                markup=False,
            )
        for header in self.app.screen.query(CounterHeader):
            header.refresh()

    # --- rejections ------------------------------------------------------------------------

    def notify_rejections(self, rejections: list[Rejection]) -> None:
        """Notify the signed-in clerk of their own steps the hub turned down, once: what is
        shown is marked read, and others' are theirs to read at their next sign-in."""
        signed = self.app.signed_in
        desk = self.app.desk
        if signed is None or desk is None:
            return
        mine = [r for r in rejections if r.author == signed.actor.username]
        if mine:
            self.app.run_worker(
                partial(desk.sync.mark_read, mine),
                name="sync rejections read",
                group="sync-rejections-read",
                thread=True,
            )
        for rejection in mine[:REJECTIONS_SHOWN]:
            self.app.notify(
                rejection_line(rejection),
                title="操作未被中心采纳",
                severity="warning",
                timeout=NOTICE_TIMEOUT_S,
                markup=False,
            )
        if len(mine) > REJECTIONS_SHOWN:
            self.app.notify(
                f"另有 {len(mine) - REJECTIONS_SHOWN} 项操作未被中心采纳：详见各办件的办理过程",
                title="操作未被中心采纳",
                severity="warning",
                timeout=NOTICE_TIMEOUT_S,
                markup=False,
            )

    def unread_rejections(self, username: str) -> None:
        """At sign-in: the user's steps turned down that they have not been shown yet (while
        they were away, or before this node heard of them)."""
        desk = self.app.desk
        if desk is None:
            return
        self.app.run_worker(
            partial(self._read_rejections, desk, username),
            name="sync rejections",
            group="sync-rejections",
            thread=True,
            exclusive=True,
        )

    def _read_rejections(self, desk: Desk, username: str) -> None:
        found = desk.sync.rejections_of(username, unread=True)
        if found:
            hand_back(self.notify_rejections, found)


def round_line(done: SyncRound) -> str:
    """The status line after a round asked for by the key."""
    line = f"同步完成：上传 {done.pushed} 条，下载 {done.pulled} 条"
    if done.flagged:
        line += f"；{done.flagged} 条本机无法应用，已记为同步问题，请联系县级管理员"
    return line


def rejection_line(rejection: Rejection) -> str:
    """办件 XA-BYQ-20261206-0001 的「撤回」未被县级中心采纳：<the hub's reason>."""
    number = rejection.case_number or rejection.case_id
    return f"办件 {number} 的「{rejection.action}」未被县级中心采纳：{rejection.reason}"


def say(app: CounterApp, line: str, *, error: bool = False) -> None:
    """`line` on the current screen's status line, or as a notification where it has none."""
    try:
        app.screen.query(StatusLine).first().say(line, error=error)
    except NoMatches:
        app.notify(line, severity="error" if error else "information", markup=False)


def _status_of(desk: Desk) -> SyncStatus | None:
    """The node's sync status, or None when the database cannot be read just now (busy): the
    header keeps the last one, and the next tick tries again."""
    try:
        return desk.sync.status()
    except UserError:
        return None
