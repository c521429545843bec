"""The follow-up loop of a bad rating (差评整改): its steps in order, the appeal (误评), who may
take them, and the supervisor's lists (not yet called back, past due)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from counter_tui.db import read_session, write_session
from counter_tui.errors import PermissionDenied
from counter_tui.feedback import followups, ratings
from counter_tui.feedback.followups import Followup
from counter_tui.feedback.rules import RatingRefused
from counter_tui.journal.models import Event
from counter_tui.journal.service import projection_differences
from tests.cases.helpers import accepted, at
from tests.feedback.conftest import RatingHall

FRIDAY = at(11, 13, 15)


def bad_rating(rhall: RatingHall) -> str:
    with write_session(rhall.hall.engine) as session:
        return ratings.record_rating(
            session,
            rhall.clerk,
            kind="case",
            channel="phone",
            level=4,
            case=accepted(rhall.hall),
            reasons=["slow"],
            now=FRIDAY,
        ).id


def step(rhall: RatingHall, rating_id: str, name: str, note: str = "已办", **kw: Any) -> Followup:
    kw.setdefault("now", at(11, 16, 9))
    actor = kw.pop("actor", rhall.supervisor)
    with write_session(rhall.hall.engine) as session:
        return followups.take_step(session, actor, rating_id, name, note, **kw)


def test_a_followup_goes_through_its_steps_to_closed(rhall: RatingHall) -> None:
    rating_id = bad_rating(rhall)
    verified = step(rhall, rating_id, "verify", "电话回访，申请人反映等候过久")
    assert (verified.state, verified.next_label) == ("verified", "整改")
    step(rhall, rating_id, "fix", "增开一个综合窗口")
    closed = step(rhall, rating_id, "close", "已告知申请人")
    assert (closed.state, closed.state_label, closed.next_step) == ("closed", "已反馈办结", None)
    assert [s[0] for s in closed.steps] == ["回访核实", "整改", "反馈"]
    assert closed.steps[0][1] == "zhao" and closed.steps[1][3] == "增开一个综合窗口"
    with read_session(rhall.hall.engine) as session:
        types = [e.type for e in session.exec(select(Event).order_by(Event.seq)).all()][-5:]
        assert projection_differences(session) == []
    assert types == [
        "rating.recorded",
        "rating.followup_opened",
        "rating.followup_verified",
        "rating.followup_fixed",
        "rating.followup_closed",
    ]


def test_a_step_out_of_order_is_refused_saying_which_comes_first(rhall: RatingHall) -> None:
    rating_id = bad_rating(rhall)
    with pytest.raises(RatingRefused, match="应先回访核实，不能整改"):
        step(rhall, rating_id, "fix")
    for name in ("verify", "fix", "close"):
        step(rhall, rating_id, name)
    with pytest.raises(RatingRefused, match="已反馈办结，不能再回访核实"):
        step(rhall, rating_id, "verify")


def test_a_step_needs_its_note(rhall: RatingHall) -> None:
    with pytest.raises(RatingRefused, match="请填写回访核实情况"):
        step(rhall, bad_rating(rhall), "verify", "  ")


def test_a_clerk_may_not_follow_up(rhall: RatingHall) -> None:
    with pytest.raises(PermissionDenied, match="无权办理差评整改"):
        step(rhall, bad_rating(rhall), "verify", actor=rhall.clerk)


def test_an_appeal_marks_the_rating_mistaken_and_ends_the_loop(rhall: RatingHall) -> None:
    rating_id = bad_rating(rhall)
    step(rhall, rating_id, "verify", "申请人说按错了")
    with write_session(rhall.hall.engine) as session:
        mistaken = followups.appeal(
            session, rhall.supervisor, rating_id, "评价人确认误按", now=FRIDAY
        )
    assert (mistaken.state, mistaken.state_label) == ("mistaken", "误评")
    assert mistaken.steps[-1] == ("申诉复核：误评", "zhao", FRIDAY, "评价人确认误按")
    with (
        pytest.raises(RatingRefused, match="已误评，不能再申诉复核"),
        write_session(rhall.hall.engine) as session,
    ):
        followups.appeal(session, rhall.supervisor, rating_id, "再次", now=FRIDAY)
    with (
        pytest.raises(RatingRefused, match="请填写误评的理由"),
        write_session(rhall.hall.engine) as session,
    ):
        followups.appeal(session, rhall.supervisor, bad_rating(rhall), "", now=FRIDAY)


def test_the_lists_of_unfinished_not_called_back_and_past_due(rhall: RatingHall) -> None:
    first, second = bad_rating(rhall), bad_rating(rhall)
    step(rhall, second, "verify")
    with read_session(rhall.hall.engine) as session:
        site = rhall.clerk.site
        assert [f.rating_id for f in followups.followups(session, site=site)] == [first, second]
        assert [f.rating_id for f in followups.not_followed_up(session, site=site)] == [first]
        # Due Friday 11-20: past due on the 23rd, not on the 20th.
        assert followups.overdue(session, date(2026, 11, 20), site=site) == []
        late = followups.overdue(session, date(2026, 11, 23), site=site)
    assert [f.rating_id for f in late] == [first, second]
    assert late[0].overdue(date(2026, 11, 23)) and late[0].reasons == ("slow",)
