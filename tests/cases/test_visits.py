"""最多跑一次: the trips an applicant made for a case are counted as visits — local days at the
window — not as steps (docs/architecture.md, "Visits"); replay counts the same."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from counter_tui.cases import backoffice, commands
from counter_tui.cases.backoffice import Delivery
from counter_tui.cases.intake import MISSING, RECEIVED, Intake, Mark, Party
from counter_tui.cases.models import Case
from counter_tui.cases.rules import is_new_visit, visit_day
from counter_tui.db import read_session, write_session
from counter_tui.journal.service import replay
from tests.cases.catalog import F5, Hall
from tests.core.helpers import dump_projections

ID_ZHANG = "420602198503151231"
HALL_ZONE = timezone(timedelta(hours=8))


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=HALL_ZONE)


def applicant() -> Party:
    return Party(name="张三", id_number=ID_ZHANG, phone="13812345678")


def f5(*, complete: bool = True) -> Intake:
    intake = Intake(entry_code=F5, applicant=applicant())
    for kind in ("application", "resident_id", "floor_plan", "health_certificate"):
        status = RECEIVED if complete or kind != "floor_plan" else MISSING
        intake = intake.with_mark(kind, Mark(status, original_seen=True, copies_kept=1))
    return intake


def trips(hall: Hall, case_id: str) -> int:
    with read_session(hall.engine) as s:
        row = s.get(Case, case_id)
    assert row is not None
    return row.trips


def pickup() -> Delivery:
    return Delivery("pickup", recipient="张三", recipient_id=ID_ZHANG)


def decided_and_completed(hall: Hall, case_id: str, day: int) -> None:
    with write_session(hall.engine) as s:
        backoffice.decide(
            s, hall.approver, case_id, approve=True, decision_number="X号", now=at(11, day)
        )
    with write_session(hall.engine) as s:
        backoffice.complete(s, hall.approver, case_id, now=at(11, day, 15))


def test_an_instant_item_accepted_and_collected_in_one_visit_is_one_trip(hall: Hall) -> None:
    intake = Intake(entry_code="T-1", applicant=applicant()).with_mark(
        "resident_id", Mark(RECEIVED, original_seen=True, copies_kept=2)
    )
    with write_session(hall.engine) as s:
        case_id = commands.accept(s, hall.clerk, intake, now=at(11, 9, 10)).case.id
    assert trips(hall, case_id) == 1
    with write_session(hall.engine) as s:
        backoffice.deliver(s, hall.clerk, case_id, pickup(), now=at(11, 9, 10, 5))
    assert trips(hall, case_id) == 1


def test_notified_then_accepted_on_another_day_is_two_trips_on_the_same_day_one(
    hall: Hall,
) -> None:
    with write_session(hall.engine) as s:
        later = commands.notify(s, hall.clerk, f5(complete=False), now=at(11, 9)).case.id
    with write_session(hall.engine) as s:
        same = commands.notify(s, hall.clerk, f5(complete=False), now=at(11, 9, 11)).case.id
    assert trips(hall, later) == trips(hall, same) == 1
    with write_session(hall.engine) as s:
        commands.accept(s, hall.clerk, f5(), case_id=later, now=at(11, 11))
    with write_session(hall.engine) as s:
        commands.accept(s, hall.clerk, f5(), case_id=same, now=at(11, 9, 16))
    assert trips(hall, later) == 2
    assert trips(hall, same) == 1


def test_accept_correction_resubmit_collect_is_three_trips(hall: Hall) -> None:
    with write_session(hall.engine) as s:
        case_id = commands.accept(s, hall.clerk, f5(), now=at(11, 9)).case.id
    with write_session(hall.engine) as s:
        backoffice.hand_off(s, hall.clerk, case_id, now=at(11, 9, 14))
    with write_session(hall.engine) as s:
        backoffice.claim(s, hall.approver, case_id, now=at(11, 10))
    with write_session(hall.engine) as s:
        backoffice.request_correction(
            s,
            hall.approver,
            case_id,
            corrections=[("floor_plan", "未标明面积")],
            deadline=date(2026, 11, 25),
            now=at(11, 11),
        )
    assert trips(hall, case_id) == 1  # the back office's steps need nobody at the window
    with write_session(hall.engine) as s:
        backoffice.resubmit(s, hall.clerk, case_id, now=at(11, 16))
    assert trips(hall, case_id) == 2
    decided_and_completed(hall, case_id, 17)
    with write_session(hall.engine) as s:
        backoffice.deliver(s, hall.clerk, case_id, pickup(), now=at(11, 19))
    assert trips(hall, case_id) == 3


def test_a_result_sent_by_mail_or_electronically_is_no_trip(hall: Hall) -> None:
    ways = (
        Delivery("mail", address="襄城区檀溪路1号", carrier="中国邮政EMS", tracking="1187654321"),
        Delivery("electronic", channel="电子证照库"),
    )
    for way in ways:
        with write_session(hall.engine) as s:
            case_id = commands.accept(s, hall.clerk, f5(), now=at(11, 9)).case.id
        with write_session(hall.engine) as s:
            backoffice.hand_off(s, hall.clerk, case_id, now=at(11, 9, 14))
        with write_session(hall.engine) as s:
            backoffice.claim(s, hall.approver, case_id, now=at(11, 10))
        decided_and_completed(hall, case_id, 12)
        with write_session(hall.engine) as s:
            backoffice.deliver(s, hall.clerk, case_id, way, now=at(11, 13))
        assert trips(hall, case_id) == 1


def test_replay_counts_the_same_visits(hall: Hall) -> None:
    intake = Intake(entry_code="T-1", applicant=applicant()).with_mark(
        "resident_id", Mark(RECEIVED, original_seen=True, copies_kept=2)
    )
    with write_session(hall.engine) as s:
        instant = commands.accept(s, hall.clerk, intake, now=at(11, 9, 10)).case.id
    with write_session(hall.engine) as s:
        backoffice.deliver(s, hall.clerk, instant, pickup(), now=at(11, 9, 10, 5))
    with write_session(hall.engine) as s:
        notified = commands.notify(s, hall.clerk, f5(complete=False), now=at(11, 9)).case.id
    with write_session(hall.engine) as s:
        commands.accept(s, hall.clerk, f5(), case_id=notified, now=at(11, 11))
    before = dump_projections(hall.engine)
    with write_session(hall.engine) as s:
        replay(s)
    assert dump_projections(hall.engine) == before
    assert (trips(hall, instant), trips(hall, notified)) == (1, 2)


def test_the_day_of_a_visit_is_the_halls_local_day() -> None:
    # 00:30 Beijing time is 16:30 UTC the day before: the visit is on the hall's day.
    late = {"at": "2026-11-09T23:30:00+08:00"}
    early = {"at": "2026-11-10T00:30:00+08:00"}
    assert visit_day("case.accepted", late) == date(2026, 11, 9)
    assert visit_day("case.resubmitted", early) == date(2026, 11, 10)
    assert visit_day("case.completed", late) is None
    assert visit_day("case.approved", late) is None
    mail = {"at": late["at"], "delivery": {"method": "mail"}}
    assert visit_day("case.delivered", mail) is None
    assert visit_day("case.delivered", mail | {"delivery": {"method": "pickup"}}) == date(
        2026, 11, 9
    )
    assert is_new_visit(None, date(2026, 11, 9))
    assert not is_new_visit(date(2026, 11, 9), date(2026, 11, 9))
