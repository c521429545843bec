"""Every shipped scenario played to the end through the services, with full marks; a wrong step
caught, a hint paid for, the score and time at the end; an unknown name lists the scenarios.

The demo database is built once for the module (a child process, seconds) and copied for each
test, which changes it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from counter_tui.actor import Actor
from counter_tui.cases import commands
from counter_tui.cases.intake import MISSING, Mark
from counter_tui.db import make_engine, read_session, write_session
from counter_tui.demo import progress
from counter_tui.demo.options import DemoOptions
from counter_tui.demo.scenario_files import find_scenario, shipped_scenarios
from counter_tui.demo.setup import create_demo_database
from counter_tui.demo.training import FINISHED, MISTAKE, NO_MORE_HINTS, PASSED, ScenarioRun
from counter_tui.errors import UserError
from counter_tui.queue import commands as queue
from counter_tui.queue import config
from counter_tui.queue.models import QueueTicket
from counter_tui.queue.reads import hall
from counter_tui.site.service import node
from tests.demo.scenario_play import (
    ELDERLY_ALLOWANCE,
    PENSION_CLAIM,
    PLAYERS,
    RESALE_TRANSFER,
    START,
    WINDOW,
    Clock,
    Play,
)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A demo hall for the test clock's day, taking appointments (the living hall's set-up
    does; an empty hall gets half-hour slots for category A here)."""
    options = DemoOptions(seed=18, today=START.date())
    demo = create_demo_database(options, parent=tmp_path_factory.mktemp("demo"))
    engine = make_engine(demo.settings.db_url)
    with write_session(engine) as session:
        _with_slots(session, node(session).site)
    engine.dispose()
    yield demo.path
    demo.remove()


def _with_slots(session: Session, site: str) -> None:
    current = hall(session, site)
    found = current.category("A")
    if found is not None and found.slots:
        return
    slots = [f"{h:02d}:00-{h:02d}:30" for h in range(8, 17)]
    slots += [f"{h:02d}:30-{h + 1:02d}:00" for h in range(8, 17)]
    categories: dict[str, Any] = {c.prefix: {"name": c.name} for c in current.categories}
    categories["A"] |= {"slots": slots, "capacity": 4}
    setup = config.from_dict({"categories": categories})
    queue.configure(session, Actor.local_operator(site), setup, now=START - timedelta(days=30))


@pytest.fixture
def engine(prepared: Path, tmp_path: Path) -> Iterator[Engine]:
    copy = tmp_path / "demo.db"
    shutil.copyfile(prepared, copy)
    made = make_engine(f"sqlite:///{copy}")
    yield made
    made.dispose()


def start(engine: Engine, name: str) -> Play:
    clock = Clock()
    run = ScenarioRun(find_scenario(name), engine, clock=clock)
    run.start()
    with read_session(engine) as session:
        site = node(session).site
    return Play(run=run, engine=engine, site=site, clock=clock)


def test_the_issue_asks_for_these_scenarios_and_each_has_a_play() -> None:
    names = {scenario.name for scenario in shipped_scenarios()}
    assert names == set(PLAYERS)
    assert len(names) >= 8


@pytest.mark.parametrize("name", sorted(PLAYERS))
def test_every_shipped_scenario_played_right_finishes_with_full_marks(
    engine: Engine, name: str
) -> None:
    play = start(engine, name)
    PLAYERS[name](play)
    run = play.run
    assert run.finished, f"{name} stopped at task {run.index + 1}: {run.current_task}"
    assert [o.kind for o in play.outcomes].count(PASSED) == run.count
    assert play.outcomes[-1].kind == FINISHED
    assert not [o for o in play.outcomes if o.kind == MISTAKE]
    summary = run.summary()
    assert (summary.score, summary.mistakes, summary.hints) == (100, 0, 0)
    assert all(task.passed for task in summary.tasks)


def test_a_wrong_step_is_caught_with_the_scenarios_words_and_costs_points(engine: Engine) -> None:
    play = start(engine, "routine-intake")
    play.do(queue.call_next, WINDOW)
    assert play.run.index == 1
    complete = play.intake(ELDERLY_ALLOWANCE, "王秀英", 21)
    play.do(commands.notify, complete.with_mark("social_security_card", Mark(MISSING)))
    caught = [o for o in play.outcomes if o.kind == MISTAKE]
    assert [o.message for o in caught] == ["材料已经齐全：应当直接受理，而不是一次性告知。"]
    assert play.run.index == 1  # still the same task: the notice did not pass it
    assert (play.run.mistakes, play.run.score) == (1, 90)


def test_hints_come_one_at_a_time_each_costing_points_until_there_are_none(
    engine: Engine,
) -> None:
    play = start(engine, "routine-intake")
    task = play.run.current_task
    assert task is not None
    assert play.run.hint() == task.hints[0]
    assert play.run.score == 95
    assert play.run.hint() == task.hints[1]
    assert play.run.hint() == NO_MORE_HINTS
    assert (play.run.hints_used, play.run.score) == (2, 90)


def test_the_end_has_the_score_and_the_time_on_the_demo_clock(engine: Engine) -> None:
    play = start(engine, "notice-and-return")
    play.run.hint()
    PLAYERS["notice-and-return"](play)
    play.clock.tick(600)  # time after the end does not count
    summary = play.run.summary()
    assert summary.finished and summary.score == 95 and summary.hints == 1
    # Two service calls of 20 seconds each, on the test's clock.
    assert summary.elapsed_seconds == 40
    assert [t.passed_after for t in summary.tasks] == [20, 40]


def test_what_was_done_before_the_start_does_not_count(engine: Engine) -> None:
    clock = Clock()
    with read_session(engine) as session:
        site = node(session).site
    run = ScenarioRun(find_scenario("notice-and-return"), engine, clock=clock)
    early = Play(run=run, engine=engine, site=site, clock=clock)
    complete = early.intake(PENSION_CLAIM, "李建国", 22)
    with write_session(engine) as session:  # a notice before the scenario starts
        lacking = complete.with_mark("social_security_card", Mark(MISSING))
        commands.notify(session, early.actor("clerk"), lacking, now=clock.tick())
    run.start()
    assert run.observe() == []
    assert run.index == 0


def test_an_unknown_scenario_name_lists_the_available_ones_with_titles() -> None:
    with pytest.raises(UserError) as refused:
        find_scenario("no-such-thing")
    message = refused.value.message
    assert "no-such-thing" in message
    for scenario in shipped_scenarios():
        assert f"{scenario.name}（{scenario.title}）" in message


def test_a_classroom_seat_follows_the_run_and_keeps_the_finished_one(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(progress.ENV, str(tmp_path / "class"))
    progress._forget()
    try:
        seat = progress.current_seat(database="demo.db")
        clock = Clock()
        run = ScenarioRun(find_scenario("notice-and-return"), engine, clock=clock, seat=seat)
        run.start()
        (record,) = progress.read_classroom(tmp_path / "class")
        assert (record.scenario, record.done, record.tasks, record.score) == (
            "notice-and-return",
            0,
            2,
            None,
        )
        run.hint()
        with read_session(engine) as session:
            site = node(session).site
        PLAYERS["notice-and-return"](Play(run=run, engine=engine, site=site, clock=clock))
        (record,) = progress.read_classroom(tmp_path / "class")
        assert record.finished and (record.done, record.score, record.hints) == (2, 95, 1)
        assert record.elapsed_seconds == 40
        assert [(h["scenario"], h["score"]) for h in record.history] == [("notice-and-return", 95)]
        run.abandon()  # after the end: the history keeps the finished run
        (record,) = progress.read_classroom(tmp_path / "class")
        assert record.scenario is None and len(record.history) == 1
    finally:
        progress._forget()


def test_a_new_case_where_the_notified_one_should_go_on_is_caught(engine: Engine) -> None:
    play = start(engine, "notice-and-return")
    complete = play.intake(PENSION_CLAIM, "李建国", 31)
    play.do(commands.notify, complete.with_mark("social_security_card", Mark(MISSING)))
    play.do(commands.accept, complete)  # a second case, not the notified one resumed
    (caught,) = [o for o in play.outcomes if o.kind == MISTAKE]
    assert "应当找到原来一次性告知的办件" in caught.message
    assert play.run.index == 1 and not play.run.finished


def test_a_refusal_that_does_not_name_the_competent_agency_is_caught(engine: Engine) -> None:
    play = start(engine, "refusal-elsewhere")
    intake = play.intake(RESALE_TRANSFER, "孙丽", 32)
    play.do(commands.refuse, intake, reasons="房屋不在本区")
    (caught,) = [o for o in play.outcomes if o.kind == MISTAKE]
    assert "有权机关" in caught.message and not play.run.finished


def test_calling_out_of_turn_is_caught_in_any_task_of_the_busy_queue(engine: Engine) -> None:
    play = start(engine, "busy-queue")
    with read_session(engine) as session:
        waiting = session.exec(
            select(QueueTicket).where(QueueTicket.id == play.label("elder"))
        ).one()
    play.do(queue.call_ticket, WINDOW, waiting.number, "熟人")
    (caught,) = [o for o in play.outcomes if o.kind == MISTAKE]
    assert caught.message.startswith("不要点名跳号") and play.run.index == 0
