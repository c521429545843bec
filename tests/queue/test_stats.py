"""Queue statistics: the pure figures on small cases and edges, a whole hand-computed day run
through the real services on both engines, a property over random days, and the command."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from counter_tui.actor import Actor
from counter_tui.cli.root import app
from counter_tui.errors import UserError
from counter_tui.queue import commands, config, reads
from counter_tui.queue.stats import (
    DayStats,
    Figures,
    Step,
    as_dict,
    compute,
    nearest_rank,
    seconds,
)
from counter_tui.queue.stats_read import day_stats
from tests.conftest import Node
from tests.queue.hall import OPENING, Hall

NINE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TARGET = timedelta(minutes=20)


def m(minutes: float) -> timedelta:
    return timedelta(minutes=minutes)


def step(ticket: str, minute: float, kind: str, category: str = "A", window: str = "") -> Step:
    return Step(ticket, NINE + m(minute), f"ticket_{kind}", category, window)


def waited(*minutes: float) -> list[Step]:
    """One ticket per wait: issued at 9:00, called at window 1 after `minutes`."""
    out = []
    for i, wait in enumerate(minutes):
        out += [step(f"t{i}", 0, "issued"), step(f"t{i}", wait, "called", window="1")]
    return out


# --- the pure figures -------------------------------------------------------------------------


def test_an_empty_day_has_zeros_and_no_averages() -> None:
    day = compute([], target=TARGET)
    f = day.whole
    assert (f.issued, f.called, f.served, f.no_shows, f.waiting, f.open) == (0, 0, 0, 0, 0, 0)
    assert f.wait.mean is None and f.wait.p90 is None and f.service.mean is None
    assert f.over_target_share is None
    assert f.buckets == (0,) * 21
    assert day.categories == {} and day.windows == {}
    out = as_dict(day)
    assert list(out) == [
        "target_wait_minutes",
        "bucket_minutes",
        "open_bucket_from_minutes",
        "day_total",
        "categories",
        "windows",
    ]
    total = out["day_total"]
    assert (total["wait_avg_s"], total["over_target_share"]) == (None, None)
    assert total["wait_buckets"][0] == {"from_min": 0, "to_min": 3, "count": 0}
    assert total["wait_buckets"][-1] == {"from_min": 60, "to_min": None, "count": 0}


def test_one_ticket_from_issue_to_finish() -> None:
    day = compute(
        [
            step("t", 0, "issued"),
            step("t", 5, "called", window="1"),
            step("t", 6, "started", window="1"),
            step("t", 10, "finished", window="1"),
        ],
        target=TARGET,
    )
    f = day.whole
    assert (f.issued, f.called, f.served) == (1, 1, 1)
    assert (f.wait.mean, f.wait.p90, f.service.mean, f.service.p90) == (m(5), m(5), m(4), m(4))
    assert f.buckets[1] == 1
    assert list(day.categories) == ["A"] and list(day.windows) == ["1"]
    assert day.windows["1"].issued is None  # a window issues nothing


@pytest.mark.parametrize(
    ("n", "expected"), [(1, 1), (2, 2), (5, 5), (9, 9), (10, 9), (11, 10), (20, 18)]
)
def test_p90_is_the_nearest_rank(n: int, expected: int) -> None:
    values = [m(i) for i in range(n, 0, -1)]  # unsorted on purpose
    assert nearest_rank(values) == m(expected)
    assert nearest_rank([]) is None


def test_buckets_include_their_lower_edge_and_the_last_one_is_open() -> None:
    waits = [m(2) + timedelta(seconds=59), m(3), m(6) - timedelta(seconds=1), m(6)]
    waits += [m(60) - timedelta(seconds=1), m(60), m(125)]
    day = compute(waited(*(w / m(1) for w in waits)), target=TARGET)
    buckets = day.whole.buckets
    assert (buckets[0], buckets[1], buckets[2], buckets[19], buckets[20]) == (1, 2, 1, 1, 2)
    assert sum(buckets) == 7
    assert day.bucket_bounds()[:2] == [(0, 3), (3, 6)]
    assert day.bucket_bounds()[-1] == (60, None)


def test_the_bucket_width_is_a_parameter() -> None:
    day = compute(waited(4, 5, 31), target=TARGET, bucket=m(5), open_from=m(30))
    assert day.whole.buckets == (1, 1, 0, 0, 0, 0, 1)
    with pytest.raises(ValueError):
        compute([], target=TARGET, bucket=m(7), open_from=m(60))


def test_exactly_the_target_is_not_over_it() -> None:
    f = compute(waited(19, 20, 20 + 1 / 60), target=TARGET).whole
    assert f.over_target == 1
    assert f.over_target_share == pytest.approx(1 / 3)


def test_finished_from_the_call_counts_from_the_last_recall() -> None:
    f = compute(
        [
            step("t", 0, "issued"),
            step("t", 4, "called", window="1"),
            step("t", 6, "recalled", window="1"),
            step("t", 9, "finished", window="1"),
        ],
        target=TARGET,
    ).whole
    assert (f.wait.mean, f.service.mean) == (m(4), m(3))


def test_parked_time_is_not_service_and_a_transfer_starts_service_afresh() -> None:
    day = compute(
        [
            step("p", 0, "issued"),
            step("p", 1, "called", window="1"),
            step("p", 2, "started", window="1"),
            step("p", 7, "parked", window="1"),  # 5 min
            step("p", 30, "called", window="1"),
            step("p", 32, "finished", window="1"),  # + 2 min, from the call back
            step("t", 0, "issued"),
            step("t", 2, "called", window="1"),
            step("t", 3, "started", window="1"),
            step("t", 10, "transferred", "B", "1"),  # the step carries the new category
            step("t", 20, "called", "B", "2"),
            step("t", 21, "started", "B", "2"),
            step("t", 25, "finished", "B", "2"),
        ],
        target=TARGET,
    )
    assert day.whole.service.mean == m(5.5)  # (7 + 4) / 2
    assert day.categories["A"].transferred == 1 and day.windows["1"].transferred == 1
    assert day.categories["B"].served == 1 and day.windows["2"].service.mean == m(4)
    # Its wait ended at the first call, at window 1 in A; the wait after the transfer is not one.
    assert day.categories["A"].wait.count == 2 and day.windows["2"].called == 0


def test_a_no_show_who_came_back_and_was_served_is_served() -> None:
    day = compute(
        [
            step("t", 0, "issued"),
            step("t", 10, "called", window="1"),
            step("t", 12, "no_show", window="1"),
            step("t", 20, "requeued", window="1"),
            step("t", 40, "called", window="1"),
            step("t", 45, "finished", window="1"),
            step("u", 0, "issued"),
            step("u", 1, "called", window="1"),
            step("u", 2, "no_show", window="1"),
        ],
        target=TARGET,
    )
    f = day.whole
    assert (f.served, f.no_shows, f.called, f.wait.mean, f.service.mean) == (
        1,
        1,
        2,
        m(5.5),
        m(5),
    )


def test_what_the_day_left_open_and_what_it_does_not_count() -> None:
    day = compute(
        [
            step("w", 0, "issued", "C"),  # never called: still waiting, in no window
            step("s", 0, "issued"),
            step("s", 3, "called", window="1"),
            step("s", 4, "started", window="1"),  # in service at closing: open
            step("f", 0, "issued"),
            step("f", 5, "called", window="2"),
            step("f", 6, "finished", window="2"),
            step("f", 7, "case_linked", window="2"),  # changes no state
            step("old", 1, "closed"),  # an earlier day's ticket: no issue step
        ],
        target=TARGET,
    )
    f = day.whole
    assert (f.issued, f.served, f.waiting, f.open, f.called) == (3, 1, 1, 1, 2)
    assert day.categories["C"].waiting == 1 and day.windows["1"].open == 1
    assert day.windows["2"].waiting is None


def test_a_clock_that_runs_backwards_gives_zero_not_a_negative_time() -> None:
    f = compute(
        [
            step("t", 10, "issued"),
            step("t", 9, "called", window="1"),
            step("t", 8, "finished", window="1"),
        ],
        target=TARGET,
    ).whole
    assert (f.wait.mean, f.service.mean) == (timedelta(0), timedelta(0))


def test_times_are_exported_in_seconds_rounded_half_up() -> None:
    assert seconds(timedelta(seconds=12, microseconds=500_000)) == 13
    assert seconds(timedelta(seconds=12, microseconds=499_999)) == 12
    day = compute(waited(1, 2, 2), target=TARGET)  # mean 1:40
    assert day.whole.wait.mean == timedelta(seconds=100)
    assert as_dict(day)["day_total"]["wait_avg_s"] == 100


# --- a random day: the figures always add up --------------------------------------------------

#: What may follow each state, as the services allow it.
MOVES = {
    "waiting": ["called"],
    "called": ["recalled", "started", "finished", "no_show", "parked", "transferred"],
    "serving": ["finished", "parked", "transferred"],
    "parked": ["called"],
    "no_show": ["requeued", "called"],
    "finished": ["case_linked"],
}
AFTER = {
    "called": "called",
    "recalled": "called",
    "started": "serving",
    "finished": "finished",
    "no_show": "no_show",
    "parked": "parked",
    "transferred": "waiting",
    "requeued": "waiting",
    "case_linked": "finished",
}


@st.composite
def days(draw: st.DrawFn) -> list[Step]:
    steps: list[Step] = []
    for n in range(draw(st.integers(0, 8))):
        ticket, category, window = f"t{n}", draw(st.sampled_from("AB")), ""
        minute, state = draw(st.integers(0, 120)), "waiting"
        steps.append(step(ticket, minute, "issued", category))
        for _ in range(draw(st.integers(0, 7))):
            kind = draw(st.sampled_from(MOVES[state]))
            minute += draw(st.integers(0, 40))
            if kind == "called":
                window = draw(st.sampled_from("12"))
            if kind == "transferred":
                category = draw(st.sampled_from("AB"))
            steps.append(step(ticket, minute, kind, category, window))
            state = AFTER[kind]
    return steps


COUNTS = ("called", "served", "no_shows", "open", "transferred", "over_target")


def total(groups: dict[str, Figures], name: str) -> int:
    return sum(getattr(f, name) for f in groups.values())


@given(days())
def test_a_random_day_adds_up(steps: list[Step]) -> None:
    day: DayStats = compute(steps, target=TARGET)
    f = day.whole
    assert sum(f.buckets) == f.called == f.wait.count
    assert f.issued == f.served + f.no_shows + f.open + (f.waiting or 0)
    assert f.service.count == f.served
    for name in (*COUNTS, "issued", "waiting"):
        assert total(day.categories, name) == getattr(f, name)
    for name in COUNTS:
        assert total(day.windows, name) == getattr(f, name)


# --- a whole day through the services, worked out by hand -------------------------------------
#
# Set-up: window 1 serves A and C, window 2 serves B; target 20 minutes. ★ = over target.
#
# ticket     issued  first call     wait    what happens next                     service
# A001       9:00    9:01 W1        1:00    start 9:02, finish 9:10 (case linked)  8:00 A W1
# A002       9:02    9:23 W1       21:00★   start 9:24, transfer to B 9:26;
#                                           W2 calls 9:28, start 9:30, fin. 9:36   6:00 B W2
# B001       9:03    9:04 W2        1:00    finish 9:09 straight from the call     5:00 B W2
# C001       9:05    9:27 W1       22:00★   recall 9:29, no-show 9:31              no-show C W1
# A003       9:06    9:32 W1       26:00★   finish 9:38 straight from the call     6:00 A W1
# A004 绿色  9:10    9:11 W1        1:00    start 9:13, finish 9:22               9:00 A W1
# B002       9:12    9:12 W2        0:00    recall 9:17, start 9:18, finish 9:27   9:00 B W2
# A005       9:15    9:39 W1       24:00★   no-show 9:41, re-queued 9:43 (back);
#                                           called 9:59, start 10:00, fin. 10:04   4:00 A W1
# B003       9:20    9:37 W2       17:00    start 9:38, finish 9:45               7:00 B W2
# C002       9:25    9:42 W1       17:00    start 9:44, finish 9:51               7:00 C W1
# A006       9:40    9:52 W1       12:00    start 9:53, park 9:58; called back
#                                           10:05, start 10:06, finish 10:09   5+3=8:00 A W1
# B004       9:55    —              —       never called: still waiting
# C003      10:00   10:10 W1       10:00    start 10:11, in service at closing: open
#
# group     issued called served no-show waiting open transf  wait avg  p90   over    serv. avg  p90
# day          13     12     10      1       1     1     1     12:40  24:00  4 (1/3)   6:54  9:00
# A             6      6      5      0       0     0     1     14:10  26:00  3 (1/2)   7:00  9:00
# B             4      3      4      0       1     0     0      6:00  17:00  0 (0)     6:45  9:00
# C             3      3      1      1       0     1     0     16:20  22:00  1 (1/3)   7:00  7:00
# window 1      —      9      6      1       —     1     1     14:53  26:00  4 (4/9)   7:00  9:00
# window 2      —      3      4      0       —     0     0      6:00  17:00  0 (0)     6:45  9:00
#
# Sums: day waits 0+1+1+1+10+12+17+17+21+22+24+26 = 152 min / 12 = 12:40; p90 = 11th of 12
# (⌈10.8⌉) = 24:00. A waits 1,1,12,21,24,26 = 85 / 6 = 14:10, p90 6th = 26. B 0,1,17 = 18 / 3.
# C 10,17,22 = 49 / 3 = 16:20. W1 1,1,10,12,17,21,22,24,26 = 134 / 9 = 14:53.3 → 14:53 (893 s).
# Services: day 4,5,6,6,7,7,8,8,9,9 = 69 / 10 = 6:54, p90 9th = 9:00. A 4,6,8,8,9 = 35 / 5;
# B 5,6,7,9 = 27 / 4 = 6:45; W1 4,6,7,8,8,9 = 42 / 6 = 7:00.
# Buckets (3 min): day 0–3: 4, 9–12: 1, 12–15: 1, 15–18: 2, 21–24: 2, 24–27: 2.

NAMES = {"A": "综合受理", "B": "不动产登记", "C": "社保医保"}
HALL: dict[str, Any] = {
    "categories": {c: {"name": name} for c, name in NAMES.items()},
    "windows": {"1": {"categories": ["A", "C"]}, "2": {"categories": ["B"]}},
}


def at(hall: Hall, hhmm: str) -> None:
    hours, minutes = map(int, hhmm.split(":"))
    hall.now = OPENING.replace(hour=hours, minute=minutes)


def run_the_day(hall: Hall) -> None:
    """The table above, step by step, each at its minute; every call checks who it called."""
    admin = Actor("cli:root", "admin", hall.site)
    hall.write(commands.configure, config.from_dict(HALL), actor=admin)
    w = hall.write

    def call(window: str, number: str) -> Callable[[], None]:
        def go() -> None:
            ticket = hall.call(window)
            assert ticket is not None and ticket.number == number, (hall.now, ticket)

        return go

    def link_case() -> None:
        a001 = hall.read(reads.ticket_by_number, hall.site, "A001", OPENING.date())
        w(commands.link_case, a001.id, "421202-XA-BYQ-261123-0001")

    plan: list[tuple[str, Callable[[], object]]] = [
        ("9:00", lambda: hall.issue("A")),
        ("9:01", call("1", "A001")),
        ("9:02", lambda: hall.issue("A")),
        ("9:02", lambda: w(commands.start, "1")),
        ("9:03", lambda: hall.issue("B")),
        ("9:04", call("2", "B001")),
        ("9:05", lambda: hall.issue("C")),
        ("9:06", lambda: hall.issue("A")),
        ("9:09", lambda: w(commands.finish, "2", "consulted")),
        ("9:10", lambda: hall.issue("A", priority_reason="老年人")),
        ("9:10", lambda: w(commands.finish, "1", "accepted")),
        ("9:11", link_case),
        ("9:11", call("1", "A004")),  # the priority ticket goes first
        ("9:12", lambda: hall.issue("B")),
        ("9:12", call("2", "B002")),
        ("9:13", lambda: w(commands.start, "1")),
        ("9:15", lambda: hall.issue("A")),
        ("9:17", lambda: w(commands.recall, "2")),
        ("9:18", lambda: w(commands.start, "2")),
        ("9:20", lambda: hall.issue("B")),
        ("9:22", lambda: w(commands.finish, "1", "accepted")),
        ("9:23", call("1", "A002")),
        ("9:24", lambda: w(commands.start, "1")),
        ("9:25", lambda: hall.issue("C")),
        ("9:26", lambda: w(commands.transfer, "1", category="B")),
        ("9:27", call("1", "C001")),
        ("9:27", lambda: w(commands.finish, "2", "accepted")),
        ("9:28", call("2", "A002")),  # in B now, keeping its 9:02 place
        ("9:29", lambda: w(commands.recall, "1")),
        ("9:30", lambda: w(commands.start, "2")),
        ("9:31", lambda: w(commands.no_show, "1")),
        ("9:32", call("1", "A003")),
        ("9:36", lambda: w(commands.finish, "2", "accepted")),
        ("9:37", call("2", "B003")),
        ("9:38", lambda: w(commands.finish, "1", "consulted")),
        ("9:38", lambda: w(commands.start, "2")),
        ("9:39", call("1", "A005")),
        ("9:40", lambda: hall.issue("A")),
        ("9:41", lambda: w(commands.no_show, "1")),
        ("9:42", call("1", "C002")),
        ("9:43", lambda: w(commands.requeue, "A005")),
        ("9:44", lambda: w(commands.start, "1")),
        ("9:45", lambda: w(commands.finish, "2", "accepted")),
        ("9:51", lambda: w(commands.finish, "1", "accepted")),
        ("9:52", call("1", "A006")),
        ("9:53", lambda: w(commands.start, "1")),
        ("9:55", lambda: hall.issue("B")),
        ("9:58", lambda: w(commands.park, "1", note="回家取户口簿")),
        ("9:59", call("1", "A005")),
        ("10:00", lambda: w(commands.start, "1")),
        ("10:00", lambda: hall.issue("C")),
        ("10:04", lambda: w(commands.finish, "1", "accepted")),
        ("10:05", lambda: w(commands.call_ticket, "1", "A006", "取回材料")),
        ("10:06", lambda: w(commands.start, "1")),
        ("10:09", lambda: w(commands.finish, "1", "accepted")),
        ("10:10", call("1", "C003")),
        ("10:11", lambda: w(commands.start, "1")),
    ]
    for hhmm, action in plan:
        at(hall, hhmm)
        action()


def bucket_counts(**found: int) -> list[int]:
    """21 buckets, zero but for those named, e.g. b0=4 (0–3 min), b7=2 (21–24 min)."""
    counts = [0] * 21
    for name, n in found.items():
        counts[int(name[1:])] = n
    return counts


def figures(
    issued: int | None,
    called: int,
    served: int,
    no_shows: int,
    waiting: int | None,
    open_: int,
    transferred: int,
    wait: tuple[int, int],
    service_: tuple[int, int],
    over: int,
    buckets: list[int],
) -> dict[str, object]:
    """The expected `as_dict` figures; wait and service as (average, p90) in whole seconds."""
    return {
        "issued": issued,
        "called": called,
        "served": served,
        "no_shows": no_shows,
        "still_waiting": waiting,
        "open": open_,
        "transferred": transferred,
        "wait_avg_s": wait[0],
        "wait_p90_s": wait[1],
        "service_avg_s": service_[0],
        "service_p90_s": service_[1],
        "over_target": over,
        "over_target_share": round(over / called, 4),
        "bucket_counts": buckets,
    }


def flatten(f: dict[str, Any]) -> dict[str, Any]:
    """The figures with the buckets as bare counts (their bounds are checked elsewhere)."""
    out = {k: v for k, v in f.items() if k != "wait_buckets"}
    out["bucket_counts"] = [b["count"] for b in f["wait_buckets"]]
    return out


MIN = 60
EXPECTED_DAY = figures(
    13, 12, 10, 1, 1, 1, 1, (760, 24 * MIN), (414, 9 * MIN), 4,
    bucket_counts(b0=4, b3=1, b4=1, b5=2, b7=2, b8=2),
)  # fmt: skip
EXPECTED_CATEGORIES = {
    "A": figures(
        6, 6, 5, 0, 0, 0, 1, (850, 26 * MIN), (7 * MIN, 9 * MIN), 3,
        bucket_counts(b0=2, b4=1, b7=1, b8=2),
    ),
    "B": figures(
        4, 3, 4, 0, 1, 0, 0, (6 * MIN, 17 * MIN), (405, 9 * MIN), 0,
        bucket_counts(b0=2, b5=1),
    ),
    "C": figures(
        3, 3, 1, 1, 0, 1, 0, (980, 22 * MIN), (7 * MIN, 7 * MIN), 1,
        bucket_counts(b3=1, b5=1, b7=1),
    ),
}  # fmt: skip
EXPECTED_WINDOWS = {
    "1": figures(
        None, 9, 6, 1, None, 1, 1, (893, 26 * MIN), (7 * MIN, 9 * MIN), 4,
        bucket_counts(b0=2, b3=1, b4=1, b5=1, b7=2, b8=2),
    ),
    "2": figures(
        None, 3, 4, 0, None, 0, 0, (6 * MIN, 17 * MIN), (405, 9 * MIN), 0,
        bucket_counts(b0=2, b5=1),
    ),
}  # fmt: skip


@pytest.fixture
def day_run(node: Node) -> Hall:
    hall = Hall(node.engine, node.site)
    run_the_day(hall)
    return hall


def check(found: dict[str, Any]) -> None:
    """`found` (as_dict or the command's JSON) holds exactly the figures of the table above."""
    assert flatten(found["day_total"]) == EXPECTED_DAY
    assert {c["category"]: flatten(c) for c in found["categories"]} == {
        c: {"category": c, "name": NAMES[c], **f} for c, f in EXPECTED_CATEGORIES.items()
    }
    assert {w["window"]: flatten(w) for w in found["windows"]} == {
        w: {"window": w, **f} for w, f in EXPECTED_WINDOWS.items()
    }


def test_a_hand_computed_day(day_run: Hall) -> None:
    hall = day_run
    day = hall.read(day_stats, hall.site, OPENING.date())
    check(as_dict(day, NAMES))
    assert day.target == TARGET
    # The next day starts from nothing; a stricter target is a parameter.
    assert hall.read(day_stats, hall.site, OPENING.date() + timedelta(days=1)).whole.issued == 0
    strict = hall.read(day_stats, hall.site, OPENING.date(), target=m(10))
    assert strict.whole.over_target == 7  # 12, 17, 17, 21, 22, 24, 26 (10:00 is not over)


# --- the command ------------------------------------------------------------------------------


def test_the_command_prints_the_table_and_the_json(
    day_run: Hall, node: Node, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    runner = CliRunner()

    def stats(*args: str) -> Result:
        return runner.invoke(app, ["--db", node.url, "queue", "stats", *args])

    ran = stats("--date", "2026-11-23", "--json")
    assert ran.exit_code == 0, ran.output
    found = json.loads(ran.output)
    assert (found["site"], found["day"], found["target_wait_minutes"]) == (
        node.site,
        "2026-11-23",
        20,
    )
    check(found)

    text = stats("--date", "2026-11-23").output.splitlines()
    assert text[0] == "2026-11-23 排队统计（等候目标 20 分钟，时长为 分:秒）"
    rows = [" ".join(line.split()) for line in text]
    assert rows[1] == "取号 叫号 办结 过号 未叫号 未结 转出 平均等候 P90等候 超时 平均办理 P90办理"
    assert rows[2] == "全天 13 12 10 1 1 1 1 12:40 24:00 4（33.3%） 6:54 9:00"
    assert rows[3] == "A 综合受理 6 6 5 0 0 0 1 14:10 26:00 3（50.0%） 7:00 9:00"
    assert rows[6] == "1 号窗口 — 9 6 1 — 1 1 14:53 26:00 4（44.4%） 7:00 9:00"
    assert rows[10] == "等候 全天 A B C 1号窗口 2号窗口"
    assert rows[11] == "0–3 分 4 2 2 0 2 2"
    assert rows[-1] == "24–27 分 2 2 0 0 2 0"  # the last bucket anyone fell in

    empty = stats("--date", "2026-11-24").output.splitlines()
    assert empty[-1] == "当天没有取号"
    bad = stats("--date", "23.11.2026")
    assert isinstance(bad.exception, UserError)
    assert "日期格式应为 YYYY-MM-DD" in bad.exception.message
