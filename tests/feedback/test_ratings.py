"""Recording ratings (好差评): one per service and per case, the levels, unknown cases, and the
follow-up a bad rating opens with its deadline in working days."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlmodel import select

from counter_tui.accounts.rules import OPERATOR
from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.errors import PermissionDenied
from counter_tui.feedback import followups, ratings
from counter_tui.feedback.models import Rating, RatingFollowup
from counter_tui.feedback.ratings import RatingRecord
from counter_tui.feedback.rules import RatingRefused
from counter_tui.journal.models import Event
from counter_tui.journal.service import projection_differences
from counter_tui.queue import commands as queue_commands
from tests.cases.helpers import accepted, at
from tests.feedback.conftest import RatingHall

#: Friday 2026-11-13, 15:00: a bad rating then is due five working days later, Friday 11-20.
FRIDAY = at(11, 13, 15)


def rate(rhall: RatingHall, actor: Actor | None = None, **kw: Any) -> RatingRecord:
    kw.setdefault("kind", "case")
    kw.setdefault("channel", "phone")
    kw.setdefault("now", FRIDAY)
    with write_session(rhall.hall.engine) as session:
        return ratings.record_rating(session, actor or rhall.clerk, **kw)


def test_a_good_case_rating_is_recorded_with_the_cases_department(rhall: RatingHall) -> None:
    case_id = accepted(rhall.hall)
    with read_session(rhall.hall.engine) as session:
        from counter_tui.cases.models import Case

        number = session.get(Case, case_id).number  # type: ignore[union-attr]
    made = rate(rhall, case=number.lower(), level=2, comment="很好 [b]x[/b]")
    assert (made.case_id, made.case_number, made.department) == (case_id, number, "SCJG")
    assert (made.level, made.given, made.level_label) == (2, True, "满意")
    assert made.clerk == "li" and made.followup_state is None
    assert made.comment == "很好 [b]x[/b]"
    with read_session(rhall.hall.engine) as session:
        assert session.exec(select(RatingFollowup)).all() == []
        kinds = [e.type for e in session.exec(select(Event).order_by(Event.seq)).all()]
    assert kinds[-1] == "rating.recorded"


def test_a_bad_rating_opens_a_followup_due_in_working_days(rhall: RatingHall) -> None:
    case_id = accepted(rhall.hall)
    made = rate(rhall, case=case_id, level=5, reasons=["slow", " 服务态度差 ", "slow"])
    assert made.reasons == ("slow", "服务态度差")
    # Friday the 13th + 5 working days: 16, 17, 18, 19, 20 → Friday 2026-11-20.
    assert (made.followup_state, made.followup_due) == ("open", date(2026, 11, 20))
    with read_session(rhall.hall.engine) as session:
        followup = session.get(RatingFollowup, made.id)
        assert followup is not None and followup.owner == "SCJG"
        assert projection_differences(session) == []


def test_the_followup_deadline_follows_the_days_given(rhall: RatingHall) -> None:
    made = rate(rhall, case=accepted(rhall.hall), level=4, followup_days=7)
    assert made.followup_due == date(2026, 11, 24)


def test_a_second_rating_of_a_case_is_refused_by_name(rhall: RatingHall) -> None:
    case_id = accepted(rhall.hall)
    rate(rhall, case=case_id, level=1)
    with pytest.raises(RatingRefused, match="该办件已评价"):
        rate(rhall, case=case_id, level=3, channel="sms")


@pytest.mark.parametrize("level", [0, 6, -1])
def test_a_level_outside_one_to_five_is_refused(rhall: RatingHall, level: int) -> None:
    with pytest.raises(RatingRefused, match="评价等级应为 1–5"):
        rate(rhall, case=accepted(rhall.hall), level=level)


def test_an_unknown_case_is_refused_naming_it(rhall: RatingHall) -> None:
    with pytest.raises(RatingRefused, match="没有找到办件 XA-NONE-1"):
        rate(rhall, case="XA-NONE-1", level=2)


def test_a_service_rating_and_its_second(rhall: RatingHall) -> None:
    hall = rhall.hall
    with write_session(hall.engine) as session:
        queue_commands.issue(session, hall.clerk, "A", now=FRIDAY)
    with write_session(hall.engine) as session:
        queue_commands.call_next(session, hall.clerk, "3", now=FRIDAY)
    with write_session(hall.engine) as session:
        ticket = queue_commands.finish(session, hall.clerk, "3", "consulted", now=FRIDAY)
    made = rate(rhall, kind="service", channel="window", ticket_id=ticket.id, level=4)
    assert (made.window, made.clerk, made.department) == ("3", "li", "")
    with read_session(hall.engine) as session:
        assert session.get(RatingFollowup, made.id).owner == "hall"  # type: ignore[union-attr]
        # Its follow-up names the ticket rated, there being no case number to name.
        (followup,) = followups.followups(session)
    assert followup.subject == f"取号评价 {ticket.number}"
    with pytest.raises(RatingRefused, match="该服务已评价"):
        rate(rhall, kind="service", channel="window", ticket_id=ticket.id, given=False, level=None)


def test_an_unanswered_prompt_is_recorded_as_not_given_and_opens_nothing(
    rhall: RatingHall,
) -> None:
    made = rate(rhall, case=accepted(rhall.hall), level=None, given=False, channel="window")
    assert (made.level, made.given, made.level_label, made.followup_state) == (
        None,
        False,
        "未评价",
        None,
    )
    # A platform's default rating keeps its level, is not given, and opens nothing either.
    default = rate(rhall, case=accepted(rhall.hall), level=5, given=False, channel="online")
    assert (default.level_label, default.followup_state) == ("默认（非常不满意）", None)


def test_a_given_rating_needs_a_level(rhall: RatingHall) -> None:
    with pytest.raises(RatingRefused, match="请给出评价等级"):
        rate(rhall, case=accepted(rhall.hall), level=None)


def test_the_unsigned_pad_may_record_only_at_the_window(rhall: RatingHall) -> None:
    operator = Actor(username="cli:pad", role=OPERATOR, site=rhall.clerk.site)
    case_id = accepted(rhall.hall)
    with pytest.raises(RatingRefused, match="未登录时只能记录窗口评价器"):
        rate(rhall, operator, case=case_id, level=2)
    assert rate(rhall, operator, case=case_id, level=2, channel="window").channel == "window"


def test_an_approver_may_not_record_ratings(rhall: RatingHall) -> None:
    with pytest.raises(PermissionDenied):
        rate(rhall, rhall.hall.approver, case=accepted(rhall.hall), level=2)
    with read_session(rhall.hall.engine) as session:
        assert session.exec(select(Rating)).all() == []


def test_a_rating_time_in_the_future_is_refused(rhall: RatingHall) -> None:
    with pytest.raises(RatingRefused, match="晚于现在"):
        rate(rhall, case=accepted(rhall.hall), level=2, rated_at=datetime(2027, 1, 1, 9, 0))
