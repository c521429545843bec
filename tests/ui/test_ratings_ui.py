"""Ratings in the app: a phone rating recorded from the palette (a bad one opening its
follow-up), the follow-up screen (差评整改) opened from the palette, a bad rating's loop closed
through its steps with Enter, a refusal for a clerk, and pictures at 80×24 and 120×40."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.actor import Actor
from counter_tui.cases import commands as case_commands
from counter_tui.db import make_engine, read_session, write_session
from counter_tui.feedback import ratings
from counter_tui.feedback.models import Rating, RatingFollowup
from counter_tui.feedback.rules import RatingRefused
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.followups import FollowupsScreen
from counter_tui.ui.screens.rating_record import RatingScreen, read_form
from tests.cases.helpers import f5
from tests.conftest import HALL
from tests.ui.conftest import FIXED_NOW, PASSWORD, NodeDatabase
from tests.ui.helpers import log_in, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
SITE = "421202-XA-BYQ"
CLERK = Actor(username="li", role="clerk", site=SITE)


def bad_ratings(node: NodeDatabase) -> list[str]:
    """Two F-5 cases accepted a week before the fixed clock, each rated 非常不满意 by phone the
    day after: one follow-up already past due, one not (five working days from 11-17)."""
    engine = make_engine(node.settings.db_url)
    accepted_at = FIXED_NOW.replace(tzinfo=HALL) - timedelta(days=10)
    made = []
    try:
        for days, reasons in ((0, ["slow", "[b]等太久[/b]"]), (4, ["attitude"])):
            with write_session(engine) as session:
                case = case_commands.accept(session, CLERK, f5(), now=accepted_at).case
            with write_session(engine) as session:
                rated = ratings.record_rating(
                    session,
                    CLERK,
                    kind="case",
                    channel="phone",
                    level=5,
                    case=case.number,
                    reasons=reasons,
                    now=accepted_at + timedelta(days=days),
                )
            made.append(rated.id)
    finally:
        engine.dispose()
    return made


def followup_states(node: NodeDatabase) -> dict[str, str]:
    engine = make_engine(node.settings.db_url)
    try:
        with read_session(engine) as session:
            return {f.rating_id: f.state for f in session.exec(select(RatingFollowup)).all()}
    finally:
        engine.dispose()


async def open_followups(pilot: Pilot[object], user: str = "zhao") -> None:
    await log_in(pilot, user, PASSWORD)
    await pilot.press("ctrl+p")
    await pilot.press(*"差评整改")
    await pilot.pause(0.3)  # the palette searches in its own task
    await pilot.press("enter")
    await settle(pilot)


async def test_a_supervisor_closes_a_bad_ratings_loop_with_enter(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    first, second = bad_ratings(intake_node)
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_followups(pilot)
        assert isinstance(app.screen, FollowupsScreen)
        assert [item.rating_id for item in app.screen.items] == [first, second]
        # The owner is said by the department's name, not its catalog code.
        line = str(app.screen.listing.get_option_at_index(0).prompt)
        assert "市场监督管理局" in line and "SCJG" not in line
        for note in ("电话回访：等候过久属实", "增开综合窗口", "已电话告知"):
            await pilot.press("enter")  # the next step's note
            await pilot.press(*note, "enter")
            await settle(pilot)
        assert followup_states(intake_node) == {first: "closed", second: "open"}
        screen = app.screen
        assert isinstance(screen, FollowupsScreen)
        assert [item.rating_id for item in screen.items] == [second]
        # The appeal (误评) with its reason; an empty reason is refused where it is typed.
        await pilot.press("a", "enter")
        assert isinstance(app.screen, FollowupsScreen) is False
        await pilot.press(*"评价人确认误按", "enter")
        await settle(pilot)
    assert followup_states(intake_node) == {first: "closed", second: "mistaken"}


async def test_a_clerk_is_told_the_followup_is_not_theirs(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    (first, _) = bad_ratings(intake_node)
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_followups(pilot, "li")
        await pilot.press("enter", *"回访了", "enter")
        await settle(pilot)
        status = str(app.screen.query_one("#followups-status").render())
    assert "无权办理差评整改" in status
    assert followup_states(intake_node)[first] == "open"


@pytest.mark.parametrize("size", SIZES)
def test_followups_screen(
    snap_compare: Callable[..., bool],
    intake_node: NodeDatabase,
    intake_app: Callable[[], CounterApp],
    size: tuple[int, int],
) -> None:
    """赵督查's 差评整改 list: two 非常不满意 phone ratings of F-5 cases, the first past its
    deadline (its date and 已超期 in red, the rest of its line plain) with the reasons
    办事效率低 and the literal "[b]等太久[/b]", both 待回访 → 回访核实; the status line says
    待办 2 件，其中超期 1 件."""
    bad_ratings(intake_node)

    async def opened(pilot: Pilot[object]) -> None:
        await open_followups(pilot)

    assert snap_compare(intake_app(), terminal_size=size, run_before=opened)


def accepted_case(node: NodeDatabase) -> str:
    engine = make_engine(node.settings.db_url)
    try:
        with write_session(engine) as session:
            now = FIXED_NOW.replace(tzinfo=HALL) - timedelta(days=3)
            return case_commands.accept(session, CLERK, f5(), now=now).case.number
    finally:
        engine.dispose()


async def test_a_clerk_records_a_phone_rating_and_a_bad_one_opens_its_followup(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    number = accepted_case(intake_node)
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("ctrl+p", *"记录评价")
        await pilot.pause(0.3)  # the palette searches in its own task
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RatingScreen)
        # An unknown case first: refused on the status line, everything typed kept.
        await pilot.press(*"XA-NOPE", "enter", "1", "enter", "5", "enter", "1", "2", "enter")
        await pilot.press(*"等了[b]两小时[/b]", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RatingScreen)
        assert "没有找到办件 XA-NOPE" in str(screen.query_one("#rating-status").render())
        case_field = screen.query_one("#rating-case", Input)
        assert screen.query_one("#rating-comment", Input).value == "等了[b]两小时[/b]"
        case_field.value = number
        await pilot.press("f8")
        await settle(pilot)
        assert not isinstance(app.screen, RatingScreen)
    engine = make_engine(intake_node.settings.db_url)
    try:
        with read_session(engine) as session:
            (rating,) = session.exec(select(Rating)).all()
            followup = session.get(RatingFollowup, rating.id)
    finally:
        engine.dispose()
    assert (rating.case_number, rating.channel, rating.level) == (number, "phone", 5)
    assert (rating.reasons, rating.comment) == ('["attitude", "slow"]', "等了[b]两小时[/b]")
    assert followup is not None and followup.owner == "SCJG"


def test_the_forms_digits_are_read_and_a_bad_digit_refused() -> None:
    values = {"case": "X", "channel": "3", "level": "2", "reasons": "", "comment": ""}
    assert read_form(values)["channel"] == "online"
    with pytest.raises(RatingRefused, match="渠道请填 1"):
        read_form(values | {"channel": "9"})
    with pytest.raises(RatingRefused, match="没有编号为 9 的差评原因"):
        read_form(values | {"reasons": "19"})
    assert read_form(values | {"reasons": "态度差，慢"})["reasons"] == ["态度差", "慢"]


async def test_e_in_the_case_detail_records_a_rating_of_that_case(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    """The case already open (Ctrl+O): `e` asks with its number filled in and the cursor on the
    channel; a 满意 by SMS needs no reason and opens no follow-up."""
    from counter_tui.ui.screens.case_detail import CaseDetailScreen

    number = accepted_case(intake_node)
    app = intake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("ctrl+o", *number, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, RatingScreen)
        assert app.screen.query_one("#rating-case", Input).value == number
        await pilot.press("2", "enter", "2", "enter", "f8")  # 短信, 满意
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert "已记录评价" in str(app.screen.query_one("#case-status").render())
    engine = make_engine(intake_node.settings.db_url)
    try:
        with read_session(engine) as session:
            (rating,) = session.exec(select(Rating)).all()
            assert session.get(RatingFollowup, rating.id) is None
    finally:
        engine.dispose()
    assert (rating.case_number, rating.channel, rating.level, rating.kind) == (
        number,
        "sms",
        2,
        "case",
    )


async def test_a_long_followup_list_scrolls_and_keeps_its_status_and_keys_on_screen(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    """Sixteen follow-ups at 80×24 (seen in tmux: the list pushed the status line, where a busy
    database is said, and the key line below the screen)."""
    from counter_tui.cases.models import Case

    engine = make_engine(intake_node.settings.db_url)
    accepted_at = FIXED_NOW.replace(tzinfo=HALL) - timedelta(days=3)
    try:
        for _ in range(16):
            with write_session(engine) as session:
                case: Case = case_commands.accept(session, CLERK, f5(), now=accepted_at).case
                ratings.record_rating(
                    session, CLERK, kind="case", channel="sms", level=4, case=case.number,
                    now=accepted_at,
                )  # fmt: skip
    finally:
        engine.dispose()
    app = intake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "zhao", PASSWORD)
        app.push_screen(FollowupsScreen())
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FollowupsScreen) and len(screen.items) == 16
        status = screen.query_one("#followups-status")
        assert "待办 16 件" in str(status.render())
        assert status.region.bottom < 24 and status.region.height == 1
        assert screen.listing.region.height < 24  # it scrolls instead
        assert screen.listing.max_scroll_y > 0
