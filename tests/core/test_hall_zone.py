"""The hall's time zone decides every local day, number, slot, printed time and due date, whatever
zone the PC is set to (issue 12, point 1). The same instants give the same results under every
`TZ`: the scenario runs in-process under several, and the command line in subprocesses under
different `TZ` values against one database."""

from __future__ import annotations

import json
import os
import time
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from counter_tui import clock
from counter_tui.actor import Actor
from counter_tui.cases import commands as cases_commands
from counter_tui.cases.intake import RECEIVED, Intake, Mark, Party
from counter_tui.db import write_session
from counter_tui.errors import UserError
from counter_tui.notices.text import render_text
from counter_tui.queue import appointments, config
from counter_tui.queue import commands as queue_commands
from counter_tui.queue import reads as queue_reads
from counter_tui.settings import load_settings
from tests.cases.catalog import F5, open_hall
from tests.conftest import HALL, Cli, Node

#: Zones a hall PC might be left in: UTC, the hall's own, behind it, and far ahead of it.
MACHINE_ZONES = ["UTC", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati"]


@pytest.fixture(params=MACHINE_ZONES)
def machine_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The PC's zone (TZ) for the test; the hall's stays Asia/Shanghai."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def on_this_pc(instant: datetime) -> datetime:
    """An instant as the PC's clock reads it (what the app used to hand the services)."""
    return instant.astimezone()


# --- clock.py -------------------------------------------------------------------------------


def test_times_are_read_in_the_hall_zone(machine_zone: str) -> None:
    instant = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # 07:30 on the 7th in Beijing
    assert clock.to_local(on_this_pc(instant)) == datetime(2026, 12, 7, 7, 30, tzinfo=HALL)
    assert clock.to_local(on_this_pc(instant)).isoformat() == "2026-12-07T07:30:00+08:00"
    # A naive time (a test's fixed clock) is the hall's wall clock, not the PC's.
    assert clock.now_local(datetime(2026, 12, 7, 7, 30)).isoformat() == "2026-12-07T07:30:00+08:00"
    today = clock.today_local()
    assert today in {datetime.now(HALL).date(), clock.now_local().date()}


def test_another_hall_zone_moves_the_day() -> None:
    instant = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    clock.set_hall_zone("Asia/Urumqi")  # UTC+6: 05:30 on the 7th
    assert clock.to_local(instant).isoformat() == "2026-12-07T05:30:00+06:00"
    clock.set_hall_zone("Europe/London")
    assert clock.to_local(instant).date() == date(2026, 12, 6)


# --- the settings ---------------------------------------------------------------------------


def test_the_hall_zone_comes_from_the_config_or_the_environment(tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('window = "3"\n', encoding="utf-8")
    assert load_settings(config_file, environ={}).timezone == "Asia/Shanghai"
    config_file.write_text('timezone = "Asia/Urumqi"\n', encoding="utf-8")
    assert load_settings(config_file, environ={}).timezone == "Asia/Urumqi"
    environ = {"COUNTER_TUI_TIMEZONE": "Asia/Hong_Kong"}
    assert load_settings(config_file, environ=environ).timezone == "Asia/Hong_Kong"


def test_a_zone_that_does_not_exist_is_refused_naming_it(tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('timezone = "Asia/Beijing"\n', encoding="utf-8")
    with pytest.raises(UserError) as refused:
        load_settings(config_file, environ={})
    assert refused.value.message == (
        f"配置文件 {config_file} 中 timezone 不是有效的时区：'Asia/Beijing'"
        '（应为 IANA 时区名，如 "Asia/Shanghai"）'
    )
    with pytest.raises(UserError, match="环境变量 COUNTER_TUI_TIMEZONE 不是有效的时区：'CST'"):
        config_file.write_text('window = "3"\n', encoding="utf-8")
        load_settings(config_file, environ={"COUNTER_TUI_TIMEZONE": "CST"})


# --- a morning in the hall, on a PC in any zone ------------------------------------------------


def complete_f5() -> Intake:
    intake = Intake(
        entry_code=F5,
        applicant=Party(name="张三", id_number="420602198503151231", phone="13812345678"),
    )
    for kind in ("application", "resident_id", "floor_plan", "health_certificate"):
        intake = intake.with_mark(kind, Mark(RECEIVED, original_seen=True))
    return intake


def test_a_morning_gives_the_same_numbers_and_dates_whatever_the_pc_zone(
    machine_zone: str, node: Node, tmp_path: Path
) -> None:
    """Monday 2026-12-07 in Beijing; before 08:00 there it is still Sunday the 6th in UTC."""
    hall = open_hall(node, tmp_path / "catalog")
    admin = Actor("cli:root", "admin", node.site)
    setup = {
        "early_check_in_minutes": 30,
        "categories": {"A": {"name": "综合受理", "slots": ["09:00-09:30"], "capacity": 2}},
    }

    def write(fn, *args, at: datetime, actor: Actor = hall.clerk, **kw):  # type: ignore[no-untyped-def]
        with write_session(hall.engine) as session:
            return fn(session, actor, *args, now=on_this_pc(at), **kw)

    utc = lambda h, m, d=6: datetime(2026, 12, d, h, m, tzinfo=UTC)  # noqa: E731
    write(queue_commands.configure, config.from_dict(setup), at=utc(22, 0), actor=admin)
    booked = write(
        appointments.book,
        "A",
        date(2026, 12, 7),
        "09:00-09:30",
        at=utc(23, 0),
        name="王芳",
        id_number="420607197808083011",
    )
    first = write(queue_commands.issue, "A", at=utc(23, 50))  # 07:50 in Beijing
    second = write(queue_commands.issue, "A", at=utc(0, 10, 7))  # 08:10
    checked, _ = write(appointments.check_in, booked.code, at=utc(0, 45, 7))  # 08:45
    outcome = write(cases_commands.accept, complete_f5(), at=utc(23, 30))  # 07:30
    case = outcome.case

    assert (booked.day, booked.slot) == (date(2026, 12, 7), "09:00-09:30")
    assert booked.slot_start == datetime(2026, 12, 7, 9, 0, tzinfo=HALL)
    assert [(t.number, t.day) for t in (first, second, checked)] == [
        ("A001", date(2026, 12, 7)),
        ("A002", date(2026, 12, 7)),
        ("A003", date(2026, 12, 7)),
    ]
    assert first.issued_at.isoformat() == "2026-12-07T07:50:00+08:00"
    assert case.number == "421202-XA-BYQ-261207-0001"
    # F-5 commits 10 working days from the day after: 12-08 … 12-11, 12-14 … 18, 12-21.
    assert (case.due, case.legal_due) == (date(2026, 12, 21), date(2027, 1, 5))
    assert case.accepted_at is not None and f"{case.accepted_at:%m-%d %H:%M}" == "12-07 07:30"
    receipt = render_text(outcome.notices[0], width=80)
    assert "2026年12月7日 07:30" in receipt and "2026年12月21日" in receipt
    with write_session(hall.engine) as session:
        assert [
            t.number for t in queue_reads.waiting(session, node.site, on_this_pc(utc(1, 0, 7)))
        ] == [
            "A003",
            "A001",
            "A002",
        ]


# --- two PCs in different zones on one database ------------------------------------------------


def test_the_command_line_numbers_tickets_by_the_hall_day_under_any_tz(
    cli: Cli, init_file: Path
) -> None:
    db = init_file
    issued = []
    before = datetime.now(HALL).date()
    for zone in ("UTC", "Asia/Shanghai", "America/Los_Angeles"):
        cli.env["TZ"] = zone
        ran = cli("queue", "issue", "A", "--json", db=db)
        assert ran.code == 0, ran.err
        ticket = json.loads(ran.out)
        issued.append((ticket["number"], ticket["day"]))
    after = datetime.now(HALL).date()

    if before == after:  # not run across midnight in Beijing
        assert issued == [(n, before.isoformat()) for n in ("A001", "A002", "A003")]


def test_a_bad_zone_in_the_environment_is_one_chinese_line(cli: Cli, tmp_path: Path) -> None:
    cli.env["COUNTER_TUI_TIMEZONE"] = "Beijing"
    ran = cli("queue", "issue", "A", db=tmp_path / "none.db")
    assert ran.code != 0
    assert "环境变量 COUNTER_TUI_TIMEZONE 不是有效的时区：'Beijing'" in ran.error_line


def test_the_zone_is_known_without_system_tz_data() -> None:
    """The tzdata package ships the zones, so a PC without /usr/share/zoneinfo (a trimmed
    Windows or container install) still knows the hall's."""
    zoneinfo.reset_tzpath(to=[])
    try:
        zone = ZoneInfo.no_cache("Asia/Shanghai")
    finally:
        zoneinfo.reset_tzpath()
    assert datetime(2026, 12, 7, tzinfo=zone).isoformat() == "2026-12-07T00:00:00+08:00"


def test_a_pause_recorded_with_a_utc_offset_starts_on_the_hall_day(
    machine_zone: str, node: Node, tmp_path: Path
) -> None:
    """An event written by a PC that stamped its own zone's offset (as versions before the hall
    zone did on a UTC server) is read in the hall's zone, by the first apply and by replay."""
    from sqlmodel import select

    from counter_tui.cases.models import CasePause
    from counter_tui.ids import new_id
    from counter_tui.journal.service import record, replay

    hall = open_hall(node, tmp_path / "catalog")
    with write_session(hall.engine) as session:
        case = cases_commands.accept(
            session, hall.clerk, complete_f5(), now=datetime(2026, 12, 4, 10, 0, tzinfo=HALL)
        ).case
        payload = {
            "case_id": case.id,
            "at": "2026-12-06T23:30:00+00:00",
            "reason": "听证",
            "pause_id": new_id(),
        }
        record(session, hall.approver, "case.suspended", payload)
    for rebuild in (False, True):
        with write_session(hall.engine) as session:
            if rebuild:
                replay(session)
            [pause] = session.exec(select(CasePause)).all()
            assert pause.start == date(2026, 12, 7)
