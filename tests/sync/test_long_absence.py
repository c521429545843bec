"""A village room offline for 40 days (2026-12-23 → 2027-02-01) comes back and syncs in one go,
while the county published the official 2027 calendar meanwhile (docs/sync.md, "Long absences").

Both ends must then hold the same case rows, field by field: states, due dates recounted by the
new calendar (once, by the village that took the cases in), pauses recorded at the hub while the
village was away, deferred (容缺) materials lapsed, supplied late or terminated. The hub is served
in process (tests/sync/api.py) so that the village's own sync door runs the real round: pages,
progress, the hub's limits. Clocks are fixed: services get `now`, the recount's "today" is set.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import col, select

from counter_tui.actor import Actor
from counter_tui.cases import backoffice, commands
from counter_tui.cases.intake import DEFERRED, Mark
from counter_tui.cases.models import Case, CaseDeferral, CasePause
from counter_tui.cases.reads import lapsed_deferrals
from counter_tui.db import read_session, write_session
from counter_tui.desk.node import Desk
from counter_tui.journal.models import Event
from counter_tui.queue import commands as queue
from counter_tui.queue import config
from counter_tui.settings import Settings
from counter_tui.sync.wire import BATCH_LIMIT
from counter_tui.workdays.loader import load_calendar
from counter_tui.workdays.rules import Published
from counter_tui.workdays.service import calendar_for
from counter_tui.workdays.sla import Pause, clock_due
from tests.cases.helpers import f5
from tests.conftest import HALL
from tests.sync.api import Served, register, served
from tests.sync.helpers import HUB_SITE, VILLAGE_SITE
from tests.workdays.helpers import YEAR_2027, write

#: The last sync before the absence, and the day the village is back on line (40 days later).
LEFT = date(2026, 12, 22)
BACK = date(2027, 2, 1)
#: The day the county publishes the official 2027 calendar while the village is away.
PUBLISHED = date(2027, 1, 4)


@dataclass(frozen=True)
class Scale:
    """Cases the village hands off before it goes (the county decides them while it is away),
    and visitors a working day while it is away (every fifth an intake handed off)."""

    handed_off_before: int
    visitors_a_day: int


#: Over a thousand events each way (pages both ways); and a few dozen, for the orders and the stick.
BIG = Scale(180, 15)
SMALL = Scale(12, 5)
#: The hub's body limit (hub/limits.py) that no push may come near.
BODY_LIMIT = 8 * 1024 * 1024


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HALL)


@dataclass
class Wire:
    """Every request the village's sync door sends, seen on its way to the hub."""

    pushes: list[tuple[int, int]] = field(default_factory=list)  # (events, bytes)
    statuses: list[int] = field(default_factory=list)


class _Watched(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, wire: Wire) -> None:
        self.inner, self.wire = inner, wire

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/sync/push":
            import json

            body = request.read()
            self.wire.pushes.append((len(json.loads(body)["events"]), len(body)))
        response = self.inner.handle_request(request)
        self.wire.statuses.append(response.status_code)
        return response


@dataclass
class Month:
    """What happened to the village's cases, by kind, for the assertions."""

    decided: list[str] = field(default_factory=list)
    #: Handed off and claimed before the absence; at the hub: 补正 (clock stopped, still open).
    correcting: str = ""
    #: Handed off and claimed before; at the hub while away: 中止 then 恢复 (a closed pause).
    suspended: str = ""
    #: Accepted before, a 容缺 material due 01-05: lapsed while away; the village terminates it.
    lapsed_terminated: str = ""
    #: Accepted before, a 容缺 material due 01-05: lapsed while away, still open at the return.
    lapsed_open: str = ""
    #: Accepted before, a 容缺 material supplied late (01-08) while away.
    supplied_late: str = ""
    #: Taken in while away, their due dates counted on the estimated 2027.
    away: list[str] = field(default_factory=list)


@pytest.fixture
def absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Served, Wire]]:
    with served("sqlite", tmp_path, None) as api:
        register(api)
        wire = Wire()
        inner = api.desk.sync.transport
        assert inner is not None
        api.desk.sync.transport = _Watched(inner, wire)
        monkeypatch.setattr("counter_tui.cases.commands.today_local", lambda: LEFT)
        yield api, wire


def _today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """The recount's today (the services themselves take `now`)."""
    monkeypatch.setattr("counter_tui.cases.commands.today_local", lambda: day)


def _before(api: Served, scale: Scale) -> Month:
    """The village's last weeks on line: cases handed off for the county to decide, the cases
    whose clocks and 容缺 materials the absence will test; all pushed, the hub's claims pulled."""
    village, hub = api.village, api.hub
    month = Month()
    with write_session(village.engine) as s:
        for n in range(scale.handed_off_before):
            now = at(LEFT - timedelta(days=1), 9) + timedelta(minutes=n)
            case_id = commands.accept(s, village.worker, f5(), now=now).case.id
            backoffice.hand_off(s, village.worker, case_id, now=now + timedelta(seconds=30))
            month.decided.append(case_id)
        month.correcting, month.suspended = month.decided.pop(), month.decided.pop()
        owed = f5().with_mark("floor_plan", Mark(DEFERRED, until=date(2027, 1, 5)))
        for name in ("lapsed_terminated", "lapsed_open", "supplied_late"):
            case = commands.accept(s, village.worker, owed, now=at(LEFT, 11)).case
            setattr(month, name, case.id)
    api.desk.sync.run()
    with write_session(hub.engine) as s:
        for case_id in (month.correcting, month.suspended):
            backoffice.claim(s, hub.worker, case_id, now=at(LEFT, 14))
        backoffice.request_correction(
            s,
            hub.worker,
            month.correcting,
            corrections=[("application", "申请书未签字")],
            deadline=date(2027, 1, 29),
            now=at(LEFT, 15),
        )
    api.desk.sync.run()
    return month


def _county_while_away(api: Served, month: Month) -> None:
    """The county decides what the village handed off (three events each, all for the
    village) and suspends and resumes one case."""
    hub = api.hub
    with write_session(hub.engine) as s:
        for n, case_id in enumerate(month.decided):
            now = at(date(2026, 12, 28), 9) + timedelta(minutes=n)
            backoffice.claim(s, hub.worker, case_id, now=now)
            backoffice.decide(
                s,
                hub.worker,
                case_id,
                approve=True,
                decision_number=f"襄城食许〔2026〕{n + 1}号",
                now=now + timedelta(seconds=20),
            )
            backoffice.complete(s, hub.worker, case_id, now=now + timedelta(seconds=40))
        backoffice.suspend(
            s, hub.worker, month.suspended, reason="现场核查", now=at(date(2027, 1, 6))
        )
    with write_session(hub.engine) as s:
        backoffice.resume(s, hub.worker, month.suspended, now=at(date(2027, 1, 13)))


def _village_while_away(api: Served, month: Month, scale: Scale) -> None:
    """Forty days of the village's window: visitors every working day (queue steps), every
    fifth an intake handed off; a 容缺 material supplied late, another case terminated."""
    village = api.village
    operator = village.operator
    with write_session(village.engine) as s:
        queue.configure(s, operator, config.from_dict({"categories": {"A": {"name": "综合受理"}}}))
    with read_session(village.engine) as s:
        calendar = calendar_for(s, since=2026)
    day = LEFT + timedelta(days=1)
    while day < BACK:
        if calendar.is_working_day(day):
            with write_session(village.engine) as s:
                for n in range(scale.visitors_a_day):
                    now = at(day, 9) + timedelta(minutes=12 * n)
                    queue.issue(s, village.worker, "A", now=now)
                    queue.call_next(s, village.worker, "1", now=now)
                    if n % 5 == 0:
                        case_id = commands.accept(s, village.worker, f5(), now=now).case.id
                        backoffice.hand_off(s, village.worker, case_id, now=now)
                        month.away.append(case_id)
                    queue.finish(s, village.worker, "1", "consulted", now=now)
        day += timedelta(days=1)
    with write_session(village.engine) as s:
        commands.supply_deferred(
            s, village.worker, month.supplied_late, "floor_plan", now=at(date(2027, 1, 8))
        )
        commands.terminate(s, village.worker, month.lapsed_terminated, now=at(date(2027, 1, 11)))


def _publish(api: Served, folder: Path) -> int:
    """The county admin imports the official 2027 calendar at the hub (desk.calendar: the
    import and the recount in one transaction); how many cases the hub recounted."""
    [file] = load_calendar(write(folder, **{"2027.toml": YEAR_2027}))
    door = Desk(Settings(db_url=api.hub_url))
    try:
        admin = Actor.local_operator(HUB_SITE)
        _, recounted = door.calendar.import_years(
            admin, [Published(file.plan, "file", "2027.toml")]
        )
    finally:
        door.close()
    return recounted


def _cases(api: Served, engine_of: str) -> dict[str, dict[str, Any]]:
    """Every case of the village at one end, as plain rows with its pauses and deferrals."""
    engine = getattr(api, engine_of).engine
    found: dict[str, dict[str, Any]] = {}
    with read_session(engine) as s:
        for row in s.exec(select(Case).where(Case.site == VILLAGE_SITE)):
            found[row.id] = row.model_dump()
        for pause in s.exec(select(CasePause)):
            found[pause.case_id].setdefault("pauses", []).append(
                (pause.id, pause.kind, pause.start, pause.end)
            )
        for deferral in s.exec(select(CaseDeferral)):
            found[deferral.case_id].setdefault("deferrals", []).append(
                (deferral.kind, deferral.until, deferral.supplied_at)
            )
    return found


def _recounts(api: Served, engine_of: str) -> list[tuple[str, str]]:
    """(recording site, case) of every due-date recount one end holds."""
    import json

    engine = getattr(api, engine_of).engine
    with read_session(engine) as s:
        rows = s.exec(
            select(Event).where(Event.type == "case.due_recomputed").order_by(col(Event.hlc))
        ).all()
        return [(e.site, json.loads(e.payload)["case_id"]) for e in rows]


def _expected_due(api: Served, case: dict[str, Any], day: date) -> tuple[date, date]:
    """(committed, legal) due dates counted over the hub's calendar: what every running case
    without an open pause must show once the calendar is everywhere."""
    from counter_tui.clock import to_local

    with read_session(api.hub.engine) as s:
        accepted_on = to_local(case["accepted_at"]).date()
        calendar = calendar_for(s, since=accepted_on.year)
    pauses = [Pause(start, end, kind) for _, kind, start, end in case.get("pauses", [])]
    return (
        clock_due(accepted_on, case["committed_days"], calendar, pauses, day),
        clock_due(accepted_on, case["legal_days"], calendar, pauses, day),
    )


def test_forty_days_away_sync_in_one_go_and_both_ends_hold_the_same_cases(
    absent: tuple[Served, Wire], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    api, wire = absent
    month = _away(api, BIG)
    _today(monkeypatch, PUBLISHED)  # the county publishes while the village is away
    recounted_at_hub = _publish(api, tmp_path / "calendar")

    _today(monkeypatch, BACK)
    seen: list[tuple[str, int, int | None]] = []
    wire.pushes.clear()
    done = api.desk.sync.run(lambda what, n, total: seen.append((what, n, total)))
    assert done.reference == ["工作日历 2027"]

    # One go: thousands each way, in pages the hub takes, the progress reported through.
    assert done.pushed > 1000 and done.pulled > 500
    assert 400 not in wire.statuses and 413 not in wire.statuses
    assert all(200 <= status < 300 for status in wire.statuses)
    assert len(wire.pushes) >= done.pushed // BATCH_LIMIT
    assert all(n <= BATCH_LIMIT and size < BODY_LIMIT for n, size in wire.pushes)
    uploads = [(n, total) for what, n, total in seen if what == "上传"]
    assert uploads[-1][0] == uploads[-1][1] and len(uploads) > done.pushed // BATCH_LIMIT
    assert [n for n, _ in uploads] == sorted(n for n, _ in uploads)
    downloads = [n for what, n, _ in seen if what == "下载"]
    assert len(downloads) > 1 and downloads[-1] == done.pulled
    assert api.desk.sync.status().pending == 0
    assert len(month.away) > 50

    _same_at_both_ends(api, month, recounted_at_hub)


@pytest.mark.parametrize(
    ("order", "way"),
    [("events_first", "online"), ("calendar_first", "file"), ("events_first", "file")],
)
def test_neither_the_calendar_s_order_nor_the_stick_changes_what_both_ends_hold(
    absent: tuple[Served, Wire],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    order: str,
    way: str,
) -> None:
    """The calendar published before the village's month reaches the hub, or after it; the
    month carried online or on a stick (the reply's calendar adopted after its events, the
    recount carried up by the next trip)."""
    api, _ = absent
    month = _away(api, SMALL)
    hub = Desk(Settings(db_url=api.hub_url))
    trips = iter(range(10))

    def sync() -> None:
        if way == "online":
            api.desk.sync.run()
            return
        n = next(trips)
        bundle, reply = tmp_path / f"out{n}.ctb", tmp_path / f"reply{n}.ctb"
        api.desk.files.export(bundle)
        hub.files.import_bundle(Actor("admin", "admin", HUB_SITE), bundle, reply)
        api.desk.files.take_reply(reply)

    recounted_at_hub = 0
    try:
        if order == "calendar_first":
            _today(monkeypatch, PUBLISHED)
            recounted_at_hub += _publish(api, tmp_path / "calendar")
        _today(monkeypatch, BACK)
        sync()
        if order == "events_first":
            recounted_at_hub += _publish(api, tmp_path / "calendar")
            sync()
        if way == "file":  # the recount the last reply's calendar caused goes up
            sync()
    finally:
        hub.close()
    assert api.desk.sync.status().pending == 0
    _same_at_both_ends(api, month, recounted_at_hub)


def _away(api: Served, scale: Scale) -> Month:
    month = _before(api, scale)
    _county_while_away(api, month)
    _village_while_away(api, month, scale)
    return month


def _same_at_both_ends(api: Served, month: Month, recounted_at_hub: int) -> None:
    hub, village = _cases(api, "hub"), _cases(api, "village")
    assert set(hub) == set(village)
    for case_id in village:
        assert hub[case_id] == village[case_id], village[case_id]["number"]

    # The recount: by the village alone, once per case it changed (the hub, none of whose own
    # cases runs, recounted nothing).
    assert recounted_at_hub == 0
    recounts = _recounts(api, "village")
    assert recounts == _recounts(api, "hub")
    assert {site for site, _ in recounts} == {VILLAGE_SITE}
    assert len({case for _, case in recounts}) == len(recounts) > 0
    assert {month.lapsed_open, month.supplied_late} <= {case for _, case in recounts}
    for case_id, case in village.items():
        if case["state"] in ("completed", "terminated") or case_id == month.correcting:
            continue
        assert (case["due"], case["legal_due"]) == _expected_due(api, case, BACK)
        assert case["due_unofficial"] == ""

    # What the absence did to each kind of case, the same at both ends.
    assert all(village[c]["state"] == "completed" for c in month.decided)
    assert village[month.correcting]["state"] == "correction_requested"
    assert village[month.suspended]["state"] == "in_review"
    assert [p[3] for p in village[month.suspended]["pauses"]] == [date(2027, 1, 13)]
    assert village[month.lapsed_terminated]["state"] == "terminated"
    assert village[month.supplied_late]["deferrals"][0][2] is not None
    for engine in (api.hub.engine, api.village.engine):
        with read_session(engine) as s:
            lapsed = {d.case_id for d in lapsed_deferrals(s, BACK)}
        assert lapsed == {month.lapsed_open}
