"""Every shipped training scenario played to the end through the app, key by key, as a trainee
plays it (issue 18, Done when 1): the demo signs in with the scenario's account, the scenario
starts, each task is done with the drives of tests/ui/drives.py, and the run (which reads the
journal, never the screen) ends finished with full marks. And a wrong step is caught and said,
a hint is shown and costs its points.

One demo hall is built per module and copied per test; the terminal is 80×24, a trainee's."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from counter_tui.demo.options import DemoOptions
from counter_tui.demo.setup import DemoDatabase
from counter_tui.demo.training import ScenarioRun, Summary
from counter_tui.ui.app import CounterApp, make_app
from tests.ui import drives
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import (
    Clock,
    Keys,
    notifications,
    plain,
    settle_until,
)

Row = TypeVar("Row")

#: The demo's today: the tests' fixed day (a Monday), 09:30.
DAY = FIXED_NOW.date()
SEED = 18
PASSWORD = "demo1234"
#: A scenario's `account:` → the demo account a trainee signs in with (the login screen's list).
USERNAMES = {"clerk": "clerk", "trainer": "demo", "supervisor": "ducha"}
SIZE = (80, 24)

ELDERLY = "11420610MB1044590A40500604000"  # 高龄津贴申请
PENSION = "11420610MB1620375F40500402000"  # 城乡居民基本养老保险待遇申领
VENUE = "11420610MB1C33913240100807000"  # 公共场所卫生许可
RESALE = "12420610MB1F05288W40700901000"  # 存量房买卖转移登记（二手房过户）
BIRTH = "YJS-CS"  # 新生儿出生一件事


@pytest.fixture(scope="module")
def hall_template(tmp_path_factory: pytest.TempPathFactory) -> DemoDatabase:
    from counter_tui.demo.setup import create_demo_database

    # The living hall as a trainee gets it: its role accounts and category A's appointment
    # slots (the busy queue checks an appointment in) are the hall's own.
    return create_demo_database(
        DemoOptions(seed=SEED, today=DAY), parent=tmp_path_factory.mktemp("training-hall")
    )


@pytest.fixture
def hall_copy(hall_template: DemoDatabase, tmp_path: Path) -> Callable[..., DemoDatabase]:
    """A private copy of the hall (its notices in this test's folder), the demo asked for one
    scenario (`--scenario NAME`) or none."""
    from dataclasses import replace

    from counter_tui.settings import PrintSettings

    def copy(scenario: str | None = None) -> DemoDatabase:
        path = tmp_path / "demo.db"
        path.write_bytes(hall_template.path.read_bytes())
        settings = replace(
            hall_template.settings,
            db_url=f"sqlite:///{path}",
            printing=PrintSettings(folder=tmp_path / "notices"),
        )
        options = replace(hall_template.options, scenario=scenario)
        return replace(hall_template, folder=tmp_path, settings=settings, options=options)

    return copy


# --- a trainee at the demo ---------------------------------------------------------------


@dataclass
class Trainee:
    """What a play has to hand: the keys, the app, its clock, and the run it plays."""

    keys: Keys
    app: CounterApp
    clock: Clock
    demo: DemoDatabase
    run: ScenarioRun

    def case_number(self, label: str) -> str:
        """The number of the case a given made (`as=label`): the trainee reads it in the task
        or the worklist."""
        from counter_tui.cases.models import Case

        return self._row(Case, label).number

    def appointment_id_number(self, label: str) -> str:
        from counter_tui.queue.models import QueueAppointment

        return self._row(QueueAppointment, label).id_number

    def _row(self, model: type[Row], label: str) -> Row:
        from counter_tui.db import make_engine, read_session

        row_id = self.run.labels[label]
        engine = make_engine(self.demo.settings.db_url)
        try:
            with read_session(engine) as session:
                row = session.get(model, row_id)
                assert row is not None, f"{label} is not a {model.__name__}"
                return row
        finally:
            engine.dispose()


def person(serial: int, name: str) -> tuple[str, str, str]:
    """An applicant the trainee registers: a well-formed ID number, the name, a mobile."""
    from counter_tui.demo.givens_apply import id_number

    return id_number(serial), name, f"1371234{serial:04d}"


# --- the plays: one per shipped scenario ---------------------------------------------------


async def routine_intake(t: Trainee) -> None:
    await drives.call_next(t.keys)
    await drives.start_serving(t.keys)
    await drives.choose_item(t.keys, "高龄津贴", ELDERLY)
    await drives.identify(t.keys, *person(1, "王秀英"))
    await drives.answer(t.keys, ELDERLY, "agent", "本人办理")
    await drives.all_received(t.keys)
    await drives.accept(t.keys)
    await drives.finish_ticket(t.keys)


async def notice_and_return(t: Trainee) -> None:
    await drives.choose_item(t.keys, "养老保险待遇", PENSION)
    await drives.identify(t.keys, *person(2, "李建国"))
    await drives.mark(t.keys, {"social_security_card": "missing"})
    await drives.all_received(t.keys)
    number = await drives.notify(t.keys)
    t.clock.advance(days=1)  # 第二天 he is back
    await drives.resume(t.keys, number)
    await drives.mark(t.keys, {"social_security_card": "received"})
    await drives.accept(t.keys)


async def deferred_commitment(t: Trainee) -> None:
    await drives.choose_item(t.keys, "公共场所卫生许可", VENUE)
    await drives.identify(t.keys, *person(3, "陈美玲"))
    await drives.mark(
        t.keys,
        {
            "site_layout_plan": "deferred",
            "hygiene_rules": "committed",
            "staff_health_certificates": "committed",
        },
    )
    await drives.deadline(t.keys, "site_layout_plan", "2026-11-25")  # 两天后补交
    await drives.all_received(t.keys)
    await drives.accept(t.keys)


async def bundle_newborn(t: Trainee) -> None:
    await drives.choose_item(t.keys, "新生儿", BIRTH)
    await drives.identify(t.keys, *person(4, "赵伟"))
    await drives.answer_all(t.keys)
    await drives.all_received(t.keys)
    number = await drives.accept(t.keys)
    await drives.hand_off(t.keys, number)


async def refusal_elsewhere(t: Trainee) -> None:
    await drives.choose_item(t.keys, "二手房", RESALE)
    await drives.identify(t.keys, *person(5, "孙丽"))
    await drives.refuse(t.keys, "房屋坐落在樊城区，不在本区", "襄阳市樊城区不动产登记中心")


async def handoff_correction(t: Trainee) -> None:
    number = t.case_number("case")
    await drives.hand_off(t.keys, number)
    await drives.open_case(t.keys, number)  # the trainer is the back office too
    await drives.case_key(t.keys, "c")
    await drives.request_correction(t.keys, "出生日期与身份证不一致")
    await drives.corrected_papers(t.keys, number)


async def busy_queue(t: Trainee) -> None:
    await drives.check_in(t.keys, t.appointment_id_number("appt"))
    await drives.call_next(t.keys)  # an appointment in its slot comes first
    await drives.finish_ticket(t.keys)
    # 绿色通道 next: appointments of the hall's checked in before it still come first, and the
    # trainee serves each (the header says which ticket is called).
    await drives.call_next(t.keys)
    for _ in range(5):
        held = t.app.holding.ticket
        if held is not None and held.priority_reason:  # 绿色通道·…
            break
        await drives.finish_ticket(t.keys)
        await drives.call_next(t.keys)
    await drives.finish_ticket(t.keys)
    await drives.call_next(t.keys)
    t.clock.advance(seconds=40)  # recalls wait the minimum interval
    await drives.recall(t.keys)
    await drives.no_show(t.keys)


async def mail_delivery(t: Trainee) -> None:
    await drives.deliver_by_mail(
        t.keys, t.case_number("case"), "1180023456789", "襄阳市岘山区岘首路 18 号 3 栋 201"
    )


async def bad_rating_followup(t: Trainee) -> None:
    notes = ("电话回访：等候过久属实", "窗口增设自助复印机，材料可免费复印", "已电话告知申请人")
    await drives.follow_up_rating(t.keys, t.case_number("case"), notes)


PLAYS: dict[str, Callable[[Trainee], Awaitable[None]]] = {
    "routine-intake": routine_intake,
    "notice-and-return": notice_and_return,
    "deferred-commitment": deferred_commitment,
    "bundle-newborn": bundle_newborn,
    "refusal-elsewhere": refusal_elsewhere,
    "handoff-correction": handoff_correction,
    "busy-queue": busy_queue,
    "mail-delivery": mail_delivery,
    "bad-rating-followup": bad_rating_followup,
}


def test_every_shipped_scenario_has_a_play() -> None:
    from counter_tui.demo.scenario_files import shipped_scenarios

    assert sorted(s.name for s in shipped_scenarios()) == sorted(PLAYS)


# --- the harness -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def steps_read_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The keeper's half-second timer never fires within a test: the steps are read when the
    test polls (drives.poll), so a result screen cannot come between a drive's keys."""
    from counter_tui.ui import training

    monkeypatch.setattr(training, "POLL_EVERY_S", 3600)


@pytest.fixture(autouse=True)
def shipped_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The shipped scenarios, not a trainer's own of this machine's config folder (one of the
    same name would be played instead)."""
    from counter_tui.demo import scenario_files

    monkeypatch.setattr(scenario_files, "trainer_folder", lambda: tmp_path / "no-scenarios")


@pytest.fixture
def room(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The demo as a classroom seat: the run's progress goes to a seat file in this folder."""
    from counter_tui.demo import progress

    folder = tmp_path / "class"
    monkeypatch.setenv(progress.ENV, str(folder))
    progress._forget()
    yield folder
    progress._forget()


def seat(room: Path) -> dict[str, object]:
    (path,) = room.glob("*.json")
    return dict(json.loads(path.read_text(encoding="utf-8")))


@asynccontextmanager
async def trainee(demo: DemoDatabase) -> AsyncIterator[Trainee]:
    """The demo app started with `--scenario NAME` at 80×24, the scenario's account signed in
    and the run started by the app (no picker)."""
    from counter_tui.demo.scenario_files import find_scenario

    assert demo.options.scenario is not None
    account = find_scenario(demo.options.scenario).account
    clock = Clock()
    app = make_app(demo.settings, login_hint=demo.login_hint, clock=clock, demo=demo)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        keys = Keys(pilot)
        await drives.sign_in(keys, USERNAMES[account], PASSWORD)
        await settle_until(pilot, lambda: app.training.run is not None)
        assert app.training.run is not None, notifications(pilot)
        yield Trainee(keys, app, clock, demo, app.training.run)


async def result(t: Trainee) -> Summary:
    """The steps read once more: the run ends on its result screen; what it shows."""
    from counter_tui.ui.screens.training_result import TrainingResultScreen

    await drives.poll(t.keys)
    screen = t.app.screen
    assert isinstance(screen, TrainingResultScreen), (t.run.summary(), notifications(t.keys.pilot))
    return screen.summary


@pytest.mark.parametrize("name", sorted(PLAYS))
async def test_a_scenario_played_to_the_end_with_full_marks(
    hall_copy: Callable[..., DemoDatabase], room: Path, name: str
) -> None:
    async with trainee(hall_copy(name)) as t:
        await PLAYS[name](t)
        summary = await result(t)
        figures = plain(t.keys.pilot, "#result-figures")
    assert summary.finished and all(task.passed for task in summary.tasks)
    assert (summary.score, summary.mistakes, summary.hints) == (100, 0, 0)
    assert "100" in figures
    done = seat(room)
    assert (done["scenario"], done["finished"], done["score"]) == (name, True, 100)
    assert done["done"] == done["tasks"] == len(summary.tasks)


def bar(t: Trainee) -> str:
    """The task bar on the section screen, as shown."""
    from counter_tui.ui.widgets.training_bar import TrainingBar

    return str(t.app.screen.query_one(TrainingBar).render())


async def test_a_refusal_without_the_agency_is_caught_said_and_costs_points(
    hall_copy: Callable[..., DemoDatabase], room: Path
) -> None:
    async with trainee(hall_copy("refusal-elsewhere")) as t:
        await drives.choose_item(t.keys, "二手房", RESALE)
        await drives.identify(t.keys, *person(5, "孙丽"))
        await drives.refuse(t.keys, "房屋坐落在樊城区，不在本区", "")  # no agency named
        await drives.poll(t.keys)
        said = "\n".join(notifications(t.keys.pilot))
        (task,) = t.run.scenario.tasks
        (message,) = [m.message for m in task.mistakes if m.clause.params.get("agency_given")]
        assert "操作有误（扣 10 分）" in said and message in said
        assert "练习 1/1" in bar(t) and "得分 90" in bar(t)  # the task is still to do
        await refusal_elsewhere(t)  # done right
        summary = await result(t)
    assert (summary.finished, summary.score, summary.mistakes) == (True, 90, 1)
    assert (seat(room)["score"], seat(room)["mistakes"]) == (90, 1)


async def test_a_hint_is_shown_on_request_and_costs_points(
    hall_copy: Callable[..., DemoDatabase], room: Path
) -> None:
    async with trainee(hall_copy("routine-intake")) as t:
        shown = await drives.hint(t.keys)
        assert t.run.scenario.tasks[0].hints[0] in shown
        assert "得分 95" in bar(t)
        await routine_intake(t)
        summary = await result(t)
    assert (summary.finished, summary.score, summary.hints, summary.mistakes) == (True, 95, 1, 0)
    assert summary.tasks[0].hints == 1
    assert (seat(room)["score"], seat(room)["hints"]) == (95, 1)
