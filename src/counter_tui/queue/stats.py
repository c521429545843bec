"""Queue statistics of one day (排队统计, issue 6): figures computed from the tickets' steps, for
the whole day, per category and per window. Pure: no I/O (queue.stats_read loads the steps).

Every figure follows from the steps, read in the order they happened (journal order), up to the
end of the day: a ticket left open counts as it stood at closing time, and closing it on a later
day (`ticket_closed`) does not change its day's figures, so a past day's figures never change.

Definitions, as a hall supervisor reads them:

- 取号 issued: tickets issued that day, under the category they were issued in. A window issues
  nothing, so a window's issued (and still-waiting) figure is None.
- 叫号 called: tickets called at least once; each counts once, under the category and the window
  of its first call.
- 等候时长 waiting time: issue → first call (the time the applicant sat with a slip before being
  called), one per called ticket, under its first call. Later waits are not added: a recall
  does not end or extend the wait; a no-show re-queued waited again through their own absence;
  a transferred applicant has already been attended (transfers are counted apart, 转出).
  Tickets never called by the end of the day are 未叫号 (still waiting) and are left out of the
  waiting averages, the share over target and the buckets.
- 办理时长 service time: of finished tickets only, the time at the window that finished it since
  the ticket's last transfer: each visit runs from its start (开始办理) — or, when the clerk
  parked or finished it without pressing start, from the last call or recall — to its park or
  its finish; the time away while parked is not service. Work before a transfer belongs to the
  hand-over, not to the service.
- 办结 served: tickets finished, under the category and window of the finish.
- 过号 no-shows: tickets whose last state is no-show, under the window that marked it; one that
  came back and was served counts as served.
- 未结 open: called but neither finished nor a no-show at the end of the day (at a window, in
  service, parked, or waiting again after a transfer or re-queue), under its last step.
- 转出 transferred: transfers made, under the category the ticket left and the transferring window.
- Averages are arithmetic means; p90 is the nearest-rank 90th percentile: sorted values
  x1 ≤ … ≤ xn, p90 = x⌈0.9·n⌉ (so with fewer than 10 values it is the largest one).
- 超时占比 share over target: tickets whose wait was strictly longer than the hall's target
  (target_wait, 20 minutes by default), over tickets called; None when none was called.
- Waiting-time buckets: [0, w), [w, 2w), … with w = 3 minutes, each including its lower bound
  (exactly 3:00 falls in 3–6), and an open last bucket from 60 minutes.
- Times are kept exact; shown and exported as whole seconds, rounded half up. A step time that
  runs backwards (a window PC whose clock is behind) gives a duration of zero, never negative.

Each figure sums over the categories to the day's; over the windows likewise, except issued and
still waiting, which have no window.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from counter_tui.queue import events as ev
from counter_tui.queue.events import step_kind

ZERO = timedelta(0)
MINUTE = timedelta(minutes=1)

#: The kinds of queue_step rows (queue.events.step_kind of each ticket event type).
_ISSUED, _CALLED, _RECALLED = (
    step_kind(ev.TICKET_ISSUED),
    step_kind(ev.TICKET_CALLED),
    step_kind(ev.TICKET_RECALLED),
)
_NO_SHOW, _REQUEUED, _TRANSFERRED = (
    step_kind(ev.TICKET_NO_SHOW),
    step_kind(ev.TICKET_REQUEUED),
    step_kind(ev.TICKET_TRANSFERRED),
)
_PARKED, _STARTED, _FINISHED = (
    step_kind(ev.TICKET_PARKED),
    step_kind(ev.TICKET_STARTED),
    step_kind(ev.TICKET_FINISHED),
)

#: The state each state-changing step leaves the ticket in; other kinds (case_linked, and
#: ticket_closed, which only ever comes on a later day) change no figure.
_STATE = {
    _ISSUED: "waiting",
    _CALLED: "called",
    _RECALLED: "called",
    _NO_SHOW: "no_show",
    _REQUEUED: "waiting",
    _TRANSFERRED: "waiting",
    _PARKED: "parked",
    _STARTED: "serving",
    _FINISHED: "finished",
}


@dataclass(frozen=True)
class Step:
    """One state change of a ticket, as queue_step keeps it (category and window at that time)."""

    ticket: str
    at: datetime
    kind: str
    category: str
    window: str = ""


@dataclass(frozen=True)
class Summary:
    """Mean and p90 of some durations; None when there are none."""

    count: int
    mean: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True)
class Figures:
    issued: int | None
    called: int
    served: int
    no_shows: int
    waiting: int | None
    open: int
    transferred: int
    wait: Summary
    service: Summary
    over_target: int
    #: Tickets per waiting-time bucket (DayStats.bucket wide, the last one open).
    buckets: tuple[int, ...]

    @property
    def over_target_share(self) -> float | None:
        return self.over_target / self.called if self.called else None


@dataclass(frozen=True)
class DayStats:
    target: timedelta
    bucket: timedelta
    open_from: timedelta
    whole: Figures
    categories: dict[str, Figures]
    windows: dict[str, Figures]

    def bucket_bounds(self) -> list[tuple[int, int | None]]:
        """Each bucket's (from, to) in minutes; the last one's `to` is None (open)."""
        width, last = self.bucket // MINUTE, self.open_from // MINUTE
        return [(m, m + width) for m in range(0, last, width)] + [(last, None)]


def nearest_rank(values: Sequence[timedelta], percent: int = 90) -> timedelta | None:
    """The nearest-rank percentile: the ⌈percent/100 · n⌉-th smallest value."""
    if not values:
        return None
    return sorted(values)[rank_of(len(values), percent) - 1]


def rank_of(count: int, percent: int = 90) -> int:
    """Which value (1-based, smallest first) of `count` the nearest-rank percentile is; the
    reports (reports.figures) take their p90 of waits by it too."""
    return max(1, (percent * count + 99) // 100)


def summary(values: Sequence[timedelta]) -> Summary:
    if not values:
        return Summary(0, None, None)
    return Summary(len(values), sum(values, ZERO) / len(values), nearest_rank(values))


def seconds(value: timedelta) -> int:
    """Whole seconds, rounded half up (durations are never negative)."""
    return (value + timedelta(microseconds=500_000)) // timedelta(seconds=1)


@dataclass
class _Tally:
    issued: int = 0
    called: int = 0
    served: int = 0
    no_shows: int = 0
    waiting: int = 0
    open: int = 0
    transferred: int = 0
    waits: list[timedelta] = field(default_factory=list)
    services: list[timedelta] = field(default_factory=list)


@dataclass
class _Journey:
    """One ticket's day, followed step by step."""

    issued: Step | None = None
    first_call: Step | None = None
    last: Step | None = None
    state: str = ""
    service: timedelta = ZERO
    #: When the present visit's service began (None: not at a window).
    began: datetime | None = None
    #: (category left, transferring window) of each transfer.
    transfers: list[tuple[str, str]] = field(default_factory=list)


def _follow(steps: Iterable[Step]) -> _Journey:
    j = _Journey()
    for s in steps:
        if s.kind not in _STATE:
            continue
        before = j.last
        j.last, j.state = s, _STATE[s.kind]
        if s.kind == _ISSUED:
            j.issued = j.issued or s
        elif s.kind in (_CALLED, _RECALLED):
            if j.first_call is None:
                j.first_call = s
            j.began = s.at
        elif s.kind == _STARTED:
            j.began = s.at
        elif s.kind in (_PARKED, _FINISHED):
            if j.began is not None:
                j.service += max(s.at - j.began, ZERO)
            j.began = None
        elif s.kind == _TRANSFERRED:
            # The step carries the new category; the ticket left the one it was in before.
            j.transfers.append((before.category if before else s.category, s.window))
            j.service, j.began = ZERO, None
        elif s.kind == _NO_SHOW:
            j.began = None
    return j


def compute(
    steps: Iterable[Step],
    *,
    target: timedelta,
    bucket: timedelta = timedelta(minutes=3),
    open_from: timedelta = timedelta(minutes=60),
) -> DayStats:
    """The day's figures from its steps in journal order (see the module's definitions).
    Steps of a ticket without its issue step (another day's ticket) are ignored."""
    if bucket < MINUTE or bucket % MINUTE or open_from % bucket or open_from < bucket:
        raise ValueError(
            f"buckets must be whole minutes, open_from a multiple: {bucket}, {open_from}"
        )
    tickets: dict[str, list[Step]] = {}
    for s in steps:
        tickets.setdefault(s.ticket, []).append(s)
    whole = _Tally()
    categories: dict[str, _Tally] = {}
    windows: dict[str, _Tally] = {}

    def under(category: str, window: str = "") -> list[_Tally]:
        found = [whole, categories.setdefault(category, _Tally())]
        return [*found, windows.setdefault(window, _Tally())] if window else found

    for journey in map(_follow, tickets.values()):
        issued, first, last = journey.issued, journey.first_call, journey.last
        if issued is None or last is None:
            continue
        for t in under(issued.category):
            t.issued += 1
        if first is not None:
            for t in under(first.category, first.window):
                t.called += 1
                t.waits.append(max(first.at - issued.at, ZERO))
        for category, window in journey.transfers:
            for t in under(category, window):
                t.transferred += 1
        if journey.state == "finished":
            for t in under(last.category, last.window):
                t.served += 1
                t.services.append(journey.service)
        elif journey.state == "no_show":
            for t in under(last.category, last.window):
                t.no_shows += 1
        elif first is None:
            for t in under(issued.category):
                t.waiting += 1
        else:
            for t in under(last.category, last.window):
                t.open += 1

    def freeze(t: _Tally, *, window: bool = False) -> Figures:
        counts = [0] * (open_from // bucket + 1)
        for w in t.waits:
            counts[min(w // bucket, len(counts) - 1)] += 1
        return Figures(
            issued=None if window else t.issued,
            called=t.called,
            served=t.served,
            no_shows=t.no_shows,
            waiting=None if window else t.waiting,
            open=t.open,
            transferred=t.transferred,
            wait=summary(t.waits),
            service=summary(t.services),
            over_target=sum(w > target for w in t.waits),
            buckets=tuple(counts),
        )

    return DayStats(
        target=target,
        bucket=bucket,
        open_from=open_from,
        whole=freeze(whole),
        categories={c: freeze(categories[c]) for c in sorted(categories)},
        windows={w: freeze(windows[w], window=True) for w in sorted(windows, key=window_order)},
    )


def window_order(window: str) -> tuple[int, int, str]:
    """Windows 1, 2, … 10 in number order, then lettered ones."""
    return (0, int(window), "") if window.isdigit() else (1, 0, window)


# --- export -------------------------------------------------------------------------------------


def _seconds_or_none(value: timedelta | None) -> int | None:
    return None if value is None else seconds(value)


def figures_dict(f: Figures, bounds: Sequence[tuple[int, int | None]]) -> dict[str, Any]:
    share = f.over_target_share
    return {
        "issued": f.issued,
        "called": f.called,
        "served": f.served,
        "no_shows": f.no_shows,
        "still_waiting": f.waiting,
        "open": f.open,
        "transferred": f.transferred,
        "wait_avg_s": _seconds_or_none(f.wait.mean),
        "wait_p90_s": _seconds_or_none(f.wait.p90),
        "service_avg_s": _seconds_or_none(f.service.mean),
        "service_p90_s": _seconds_or_none(f.service.p90),
        "over_target": f.over_target,
        "over_target_share": None if share is None else round(share, 4),
        "wait_buckets": [
            {"from_min": lo, "to_min": hi, "count": n}
            for (lo, hi), n in zip(bounds, f.buckets, strict=True)
        ],
    }


def as_dict(stats: DayStats, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The figures with stable keys (for `--json` and exports); times in whole seconds."""
    names = names or {}
    bounds = stats.bucket_bounds()
    return {
        "target_wait_minutes": stats.target // MINUTE,
        "bucket_minutes": stats.bucket // MINUTE,
        "open_bucket_from_minutes": stats.open_from // MINUTE,
        "day_total": figures_dict(stats.whole, bounds),
        "categories": [
            {"category": c, "name": names.get(c, c), **figures_dict(f, bounds)}
            for c, f in stats.categories.items()
        ],
        "windows": [{"window": w, **figures_dict(f, bounds)} for w, f in stats.windows.items()],
    }
