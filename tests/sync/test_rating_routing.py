"""Ratings travel with their case (docs/sync.md, "What a site sees"): a 12345 phone rating
recorded at the county hub for a village's case reaches the village on pull, and counts for the
village at both ends; a rating of a ticket alone stays at the site that recorded it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import col, select

from counter_tui.accounts.service import create_user
from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.feedback import followups, ratings
from counter_tui.feedback.models import Rating, RatingFollowup
from counter_tui.journal.models import Event
from counter_tui.journal.service import projection_differences
from counter_tui.queue import commands as queue_commands
from counter_tui.reports.figures import Period, Scope, figures, ranking
from tests.cases.helpers import at
from tests.sync.helpers import HUB_SITE, VILLAGE_SITE, Site, handed_off, pull, push

NOW = datetime(2026, 11, 12, 8, 0, tzinfo=UTC)
#: The rating's day (Thursday 2026-11-12) in a month the figures cover.
RATED = at(11, 12)
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
TODAY = date(2026, 11, 30)


def _user(hub: Site, username: str, name: str, role: str) -> Actor:
    with write_session(hub.engine) as session:
        user = create_user(
            session,
            hub.operator,
            username=username,
            display_name=name,
            role=role,
            password="secret123",
        )
    return Actor(username=username, role=role, site=HUB_SITE, user_id=user.id)


def _supervisor(hub: Site) -> Actor:
    """赵督查, the county's supervisor who records the 12345 回访's ratings."""
    return _user(hub, "zhao", "赵督查", "supervisor")


def _rated_at_hub(hub: Site, supervisor: Actor, **kw: Any) -> ratings.RatingRecord:
    with write_session(hub.engine) as session:
        return ratings.record_rating(session, supervisor, channel="phone", now=RATED, **kw)


def test_a_phone_rating_at_the_hub_of_a_village_case_goes_and_counts_there(
    pair: tuple[Site, Site],
) -> None:
    hub, village = pair
    case_id = handed_off(village)
    push(village, hub, NOW)
    supervisor = _supervisor(hub)

    made = _rated_at_hub(hub, supervisor, kind="case", case=case_id, level=5, reasons=["slow"])
    assert made.site == VILLAGE_SITE and made.followup_state == "open"
    with read_session(hub.engine) as s:
        sent = s.exec(select(Event).where(col(Event.type).startswith("rating."))).all()
        assert {(e.type, e.site, e.audience) for e in sent} == {
            ("rating.recorded", HUB_SITE, VILLAGE_SITE),
            ("rating.followup_opened", HUB_SITE, VILLAGE_SITE),
        }

    pulled = pull(village, hub, NOW)
    assert pulled.flagged == 0
    with read_session(village.engine) as s:
        rating = s.get(Rating, made.id)
        followup = s.get(RatingFollowup, made.id)
        assert rating is not None and followup is not None
        assert (rating.site, rating.case_id, rating.level, rating.channel) == (
            VILLAGE_SITE,
            case_id,
            5,
            "phone",
        )
        assert (followup.site, followup.state, followup.owner) == (VILLAGE_SITE, "open", "SCJG")
        assert followups.not_followed_up(s, site=VILLAGE_SITE)[0].rating_id == made.id
        village_figures = figures(s, Scope(site=VILLAGE_SITE), NOVEMBER, today=TODAY)
        assert (village_figures.ratings, village_figures.bad) == (1, 1)
        assert village_figures.bad_followups_open == 1
        assert projection_differences(s) == []

    with read_session(hub.engine) as s:
        by_site = {r.key: r.figures for r in ranking(s, "site", Scope(), NOVEMBER, today=TODAY)}
        assert (by_site[VILLAGE_SITE].ratings, by_site[VILLAGE_SITE].bad) == (1, 1)
        assert by_site[VILLAGE_SITE].bad_followups_open == 1
        assert HUB_SITE not in by_site or by_site[HUB_SITE].ratings == 0
        assert figures(s, Scope(site=HUB_SITE), NOVEMBER, today=TODAY).ratings == 0
        assert projection_differences(s) == []

    # The county's 回访核实 of that follow-up follows it to the village too.
    with write_session(hub.engine) as s:
        followups.take_step(s, supervisor, made.id, "verify", "已电话核实", now=at(11, 13))
    pull(village, hub, NOW)
    with read_session(village.engine) as s:
        assert s.get(RatingFollowup, made.id).state == "verified"  # type: ignore[union-attr]


def test_a_rating_of_a_ticket_alone_at_the_hub_stays_at_the_hub(
    pair: tuple[Site, Site],
) -> None:
    hub, village = pair
    supervisor = _supervisor(hub)
    clerk = _user(hub, "qian", "钱窗口", "clerk")
    with write_session(hub.engine) as s:
        queue_commands.issue(s, clerk, "A", now=RATED)
    with write_session(hub.engine) as s:
        queue_commands.call_next(s, clerk, "1", now=RATED)
    with write_session(hub.engine) as s:
        ticket = queue_commands.finish(s, clerk, "1", "consulted", now=RATED)

    made = _rated_at_hub(hub, supervisor, kind="service", ticket_id=ticket.id, level=4)
    assert made.site == HUB_SITE
    with read_session(hub.engine) as s:
        assert s.get(RatingFollowup, made.id).site == HUB_SITE  # type: ignore[union-attr]
        assert figures(s, Scope(site=HUB_SITE), NOVEMBER, today=TODAY).ratings == 1
        audiences = s.exec(
            select(Event.audience).where(col(Event.type).startswith("rating."))
        ).all()
        assert audiences == [HUB_SITE, HUB_SITE]

    pull(village, hub, NOW)
    with read_session(village.engine) as s:
        assert s.get(Rating, made.id) is None
        assert s.exec(select(RatingFollowup)).all() == []
