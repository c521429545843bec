"""The training UI of a demo, by key presses: the scenario picker after sign-in, the task bar,
a caught mistake, a hint, the result screen, `--scenario NAME`, abandoning, a classroom seat's
name; and pictures of the picker and of a section with the task bar.

The scenarios are the fixed ones in tests/ui/training_scenarios/ (the shipped ones change with
the hall; these keep the pictures still). Each step the trainee takes is judged from the journal
by the engine (demo/training.py); the tests ask the keeper to read it now (`poll_now`, what its
half-second timer does) instead of waiting for the timer.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from counter_tui.demo.options import DemoOptions
from counter_tui.demo.setup import DemoDatabase
from counter_tui.settings import PrintSettings, Settings
from counter_tui.ui.app import CounterApp, make_app
from counter_tui.ui.screens.ask import ChooseScreen
from counter_tui.ui.screens.help import HelpScreen
from counter_tui.ui.screens.training_picker import TrainingPicker
from counter_tui.ui.screens.training_result import TrainingResultScreen
from counter_tui.ui.screens.training_task import TrainingTaskScreen
from counter_tui.ui.widgets.training_bar import TrainingBar
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import Clock, log_in, notifications, options, plain, settle, settle_until

SCENARIOS = Path(__file__).parent / "training_scenarios"


#: The trainer of the test halls (the demo's own account may change with the living hall).
TRAINER = ("trainer", "train1234")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty demo node for the module, each test copies it: the demo flag, a trainer and the
    calendar. No catalog and no living hall: the test scenarios are queue steps, and the
    pictures stay the same whatever the demo hall holds."""
    from counter_tui.accounts.service import create_user
    from counter_tui.db import make_engine, write_session
    from counter_tui.demo.setup import DEMO_SITE, DEMO_SITE_NAME
    from counter_tui.schema import upgrade
    from counter_tui.site.service import initialise_node
    from counter_tui.workdays.service import ensure_seeded

    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    engine = make_engine(f"sqlite:///{path}", create=True)
    upgrade(engine)
    with write_session(engine) as session:
        operator = initialise_node(session, site=DEMO_SITE, name=DEMO_SITE_NAME, demo=True)
        username, password = TRAINER
        create_user(
            session,
            operator,
            username=username,
            display_name="演示讲师",
            role="trainer",
            password=password,
        )
        ensure_seeded(session, operator)
    engine.dispose()
    return path


@pytest.fixture
def scenarios(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The picker offers the test scenarios only (no trainer folder of the machine's)."""
    from counter_tui.demo import scenario_files

    monkeypatch.setattr(scenario_files, "shipped_folder", lambda: SCENARIOS)
    monkeypatch.setattr(scenario_files, "trainer_folder", lambda: tmp_path / "no-scenarios")


@pytest.fixture
def demo_app(demo_template: Path, tmp_path: Path, scenarios: None) -> Callable[..., CounterApp]:
    """A demo app on a private copy of the demo database; `scenario` as `--scenario` gives."""
    folder = tmp_path / "demo"
    folder.mkdir()
    shutil.copy(demo_template, folder / "demo.db")

    def factory(
        scenario: str | None = None, clock: Callable[[], datetime] | None = None
    ) -> CounterApp:
        settings = Settings(
            db_url=f"sqlite:///{folder / 'demo.db'}",
            window="1",
            demo=True,
            printing=PrintSettings(folder=folder / "notices"),
        )
        demo = DemoDatabase(
            folder=folder, settings=settings, options=DemoOptions(scenario=scenario)
        )
        return make_app(settings, login_hint=TRAINER, clock=clock or (lambda: FIXED_NOW), demo=demo)

    return factory


@pytest.fixture
def no_seat(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Outside a classroom (whatever the environment of the test run), and forget the seat of
    a test before."""
    from counter_tui.demo import progress

    monkeypatch.delenv(progress.ENV, raising=False)
    progress._forget()
    yield
    progress._forget()


async def sign_in(pilot: Pilot[object]) -> None:
    await log_in(pilot, *TRAINER)
    await settle_until(
        pilot, lambda: isinstance(pilot.app.screen, TrainingPicker) or _running(pilot)
    )


def _running(pilot: Pilot[object]) -> bool:
    return pilot.app.training.run is not None  # type: ignore[attr-defined]


async def start(pilot: Pilot[object], number: int = 1) -> None:
    """In the picker: the `number`th scenario, Enter; until the run is on."""
    assert isinstance(pilot.app.screen, TrainingPicker)
    await pilot.press(*["down"] * (number - 1), "enter")
    await settle_until(pilot, lambda: _running(pilot))


async def observe(pilot: Pilot[object]) -> None:
    """What the keeper's timer does every half second: read the trainee's new steps."""
    await settle(pilot)
    pilot.app.training.poll_now()  # type: ignore[attr-defined]
    await settle(pilot)


def said(pilot: Pilot[object]) -> str:
    """Every notification on screen (title, then text), one after another."""
    return "\n".join(notifications(pilot))


def bar_text(app: CounterApp) -> str:
    bar = app.screen.query_one(TrainingBar)
    return str(bar.render()) if bar.display else ""


async def test_demo_sign_in_offers_the_picker_and_esc_is_free_practice(
    demo_app: Callable[..., CounterApp], no_seat: None
) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert isinstance(app.screen, TrainingPicker)
        await pilot.press("ctrl+r")  # no second picker over the first
        await settle(pilot)
        assert len(app.screen_stack) == 2
        listed = options(pilot, "#picker-list")
        assert listed[0].startswith(" 1 叫号与过号（2 项 · 窗口人员）")
        assert "叫下一位；申请人没有到窗口，标记过号。" in listed[0]
        # Titles from a trainer's file are data: its brackets show as typed.
        assert "[b]方括号[/b]标题（1 项 · 后台审批）" in listed[1]
        assert "[red]不是标记[/red]" in listed[1]
        await pilot.press("escape")
        await settle(pilot)
        assert app.training.run is None
        assert not app.screen.query_one(TrainingBar).display  # free practice: no bar
        await pilot.press("f1")  # the key is listed in a demo's help
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        [row] = [row for row in app.screen.rows if row.binding_id == "training.task"]
        assert (row.key, row.enabled) == ("Ctrl+R", True)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+r")  # the picker again, whenever the trainee wants it
        await settle_until(pilot, lambda: isinstance(app.screen, TrainingPicker))
        assert isinstance(app.screen, TrainingPicker)
        await pilot.press("escape")
        await settle(pilot)
        # The next sign-in (another role, the same trainee) goes straight to work.
        await pilot.press("f9")
        await sign_in(pilot)
        assert not isinstance(app.screen, TrainingPicker)


async def test_a_scenario_runs_with_its_task_bar_and_a_caught_mistake(
    demo_app: Callable[..., CounterApp], no_seat: None
) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot)
        await start(pilot)
        assert (
            "开始练习：叫号与过号（共 2 项）\n第 1 项：叫下一位"
            "\n按 F3 进入排队叫号，按 n 叫下一位。\nCtrl+R：任务说明与提示"
        ) in said(pilot)
        assert bar_text(app) == "练习 1/2 · 叫下一位 · Ctrl+R 说明/提示 · 得分 100"
        assert app.has_class("-training")  # notifications rise above the bar
        await pilot.press("f3", "n")
        await observe(pilot)
        assert (
            "完成：叫下一位\n下一项（2/2）：申请人未到：过号"
            "\n叫了号，申请人没有到窗口：按 x 标记过号，再按 y 确认。"
        ) in said(pilot)
        assert bar_text(app).startswith("练习 2/2 · 申请人未到：过号")
        # The wrong step: starting the service of someone who did not come.
        app.clear_notifications()
        await pilot.press("s")
        await observe(pilot)
        assert "操作有误（扣 10 分）\n申请人并没有到窗口，不能开始办理：应按 x 过号" in said(pilot)
        assert app.training.run is not None and app.training.run.mistakes == 1
        assert bar_text(app).endswith("得分 90")


async def test_the_hint_key_shows_the_task_and_then_its_hints_one_at_a_time(
    demo_app: Callable[..., CounterApp], no_seat: None
) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await start(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, TrainingTaskScreen)
        assert "按 F3 进入排队叫号，按 n 叫下一位。" in plain(pilot, "#task-instruction")
        assert plain(pilot, "#task-hints").strip() == ""  # a hint costs: never shown unasked
        assert "扣 5 分" in plain(pilot, "#task-keys")
        await pilot.press("ctrl+r")
        await settle_until(pilot, lambda: "提示 1" in plain(pilot, "#task-hints"))
        assert "提示 1：先按 F3 进入排队叫号。" in plain(pilot, "#task-hints")
        await pilot.press("h")
        await settle_until(pilot, lambda: "提示 2" in plain(pilot, "#task-hints"))
        hints = plain(pilot, "#task-hints")
        assert "提示 2：在排队叫号画面按 n。" in hints
        assert "没有更多提示了" in hints
        assert app.training.run is not None and app.training.run.hints_used == 2
        await pilot.press("escape")
        await settle(pilot)
        assert bar_text(app).endswith("得分 90")
        # A run outlives a sign-out: a scenario may want the back office's account next.
        await pilot.press("f9")
        await sign_in(pilot)
        assert not isinstance(app.screen, TrainingPicker)
        assert bar_text(app) == "练习 1/2 · 叫下一位 · Ctrl+R 说明/提示 · 得分 90"


async def test_a_finished_scenario_shows_its_result_then_the_picker_again(
    demo_app: Callable[..., CounterApp], no_seat: None
) -> None:
    clock = Clock()
    app = demo_app(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await start(pilot)
        clock.advance(seconds=40)
        await pilot.press("f3", "n")
        await observe(pilot)
        clock.advance(minutes=2, seconds=5)
        await pilot.press("x", "y")
        await observe(pilot)
        await settle_until(pilot, lambda: isinstance(app.screen, TrainingResultScreen))
        assert isinstance(app.screen, TrainingResultScreen)
        figures = plain(pilot, "#result-figures")
        assert figures.startswith("得分 100（满分 100） · 用时 2 分 45 秒 · 错误 0 次 · 提示 0 条")
        rows = [line.split() for line in plain(pilot, "#result-table", width=76).splitlines()]
        assert rows == [
            ["任务", "完成于", "提示", "错误"],
            ["✓", "1", "叫下一位", "40", "秒", "0", "0"],
            ["✓", "2", "申请人未到：过号", "2", "分", "45", "秒", "0", "0"],
        ]
        assert app.training.run is None
        assert app.training.last is not None and app.training.last.score == 100
        assert not app.has_class("-training")
        await pilot.press("enter")
        await settle_until(pilot, lambda: isinstance(app.screen, TrainingPicker))
        assert isinstance(app.screen, TrainingPicker)
        await pilot.press("ctrl+r")  # no second picker over the first
        await settle(pilot)
        assert len(app.screen_stack) == 2
        listed = options(pilot, "#picker-list")
        assert listed[0].startswith(" 1 叫号与过号（2 项 · 窗口人员 · 最好 100 分）")
        assert "最好" not in listed[2]


async def test_scenario_option_starts_it_without_the_picker_and_abandoning_asks_first(
    demo_app: Callable[..., CounterApp], no_seat: None
) -> None:
    app = demo_app(scenario="ui-three")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert not isinstance(app.screen, TrainingPicker)
        assert app.training.run is not None
        assert app.training.run.scenario.name == "ui-three"
        assert bar_text(app).startswith("练习 1/3 · 叫号")
        # 放弃练习 from the task panel: asked first, and Esc keeps the run.
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.training.run is not None
        # From the palette, answered: the run ends, its bar goes.
        await pilot.press("escape", "ctrl+p", *"放弃练习")
        await settle(pilot)
        await pilot.press("enter")
        await settle_until(pilot, lambda: isinstance(app.screen, ChooseScreen))
        await pilot.press("1")
        await settle(pilot)
        assert app.training.run is None
        assert not app.screen.query_one(TrainingBar).display
        # And the palette's 练习场景 offers the list again.
        await pilot.press("ctrl+p", *"练习场景")
        await settle(pilot)
        await pilot.press("enter")
        await settle_until(pilot, lambda: isinstance(app.screen, TrainingPicker))
        assert isinstance(app.screen, TrainingPicker)


async def test_an_unknown_scenario_option_lists_the_scenarios_and_offers_the_picker(
    demo_app: Callable[..., CounterApp], no_seat: None
) -> None:
    app = demo_app(scenario="no-such")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot)
        told = said(pilot)
        assert "没有名为 no-such 的练习场景" in told
        assert "ui-call-no-show（叫号与过号）" in told
        assert isinstance(app.screen, TrainingPicker)


async def test_a_busy_database_is_said_once_and_the_run_goes_on(
    demo_app: Callable[..., CounterApp], no_seat: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read that fails (another window holds the database) is one notice, not two a second;
    the reads after the pause count the steps as ever."""
    from counter_tui.errors import DatabaseUnavailable
    from counter_tui.ui import training

    app = demo_app(scenario="ui-three")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot)
        run = app.training.run
        assert run is not None
        real = run.observe
        monkeypatch.setattr(
            run, "observe", lambda: (_ for _ in ()).throw(DatabaseUnavailable("数据库正忙"))
        )
        app.clear_notifications()
        for _ in range(3):  # the timer's ticks meanwhile shorten the pause, never end it
            await observe(pilot)
        assert notifications(pilot) == ["数据库正忙"]
        monkeypatch.setattr(run, "observe", real)
        await pilot.press("f3", "n")
        for _ in range(training.BACK_OFF_TICKS + 1):
            await observe(pilot)
            if run.index == 1:
                break
        assert run.index == 1
        assert bar_text(app).startswith("练习 2/3 · 开始办理")
        # 放弃练习 from the task panel, answered: the panel goes with the run.
        await pilot.press("ctrl+r", "x")
        await settle_until(pilot, lambda: isinstance(app.screen, ChooseScreen))
        await pilot.press("1")
        await settle_until(pilot, lambda: not isinstance(app.screen, TrainingTaskScreen))
        assert app.training.run is None
        assert not isinstance(app.screen, TrainingTaskScreen | ChooseScreen)
        assert not app.screen.query_one(TrainingBar).display


async def test_a_classroom_seat_asks_the_trainees_name_once(
    demo_app: Callable[..., CounterApp], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from counter_tui.demo import progress

    room = tmp_path / "class"
    monkeypatch.setenv(progress.ENV, str(room))
    progress._forget()
    try:
        app = demo_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in(pilot)
            assert isinstance(app.screen, TrainingPicker)
            await pilot.press(*"王小明", "enter", "enter")
            await settle_until(pilot, lambda: _running(pilot))
            seat = json.loads((room / "seat-1.json").read_text(encoding="utf-8"))
            assert seat["trainee"] == "王小明"
            assert seat["scenario"] == "ui-call-no-show"
            assert seat["database"] == str(app.demo.path)  # type: ignore[union-attr]
            app.training.abandon()
            app.training.open_picker()
            await settle_until(pilot, lambda: isinstance(app.screen, TrainingPicker))
            assert not app.screen.query("#picker-name")  # asked once
    finally:
        progress._forget()


async def test_a_real_hall_has_no_training(app_for: Callable[..., CounterApp]) -> None:
    """Off demo: no picker after sign-in, Ctrl+R does nothing, F1 does not list it."""
    from tests.ui.conftest import PASSWORD

    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await settle(pilot)
        screen = app.screen
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen is screen
        assert not app.screen.query_one(TrainingBar).display
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert not [row for row in app.screen.rows if row.binding_id.startswith("training")]


# --- pictures ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size", [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
)
def test_picker_snapshot(
    snap_compare: Callable[..., bool],
    demo_app: Callable[..., CounterApp],
    no_seat: None,
    size: tuple[int, int],
) -> None:
    """The picker over the intake after the demo trainer signs in: its title with 培训演示, the
    three test scenarios numbered, each with its task count and account and its summary under
    it (the second one's brackets shown as typed), the first highlighted, and the key line
    (回车 开始, Esc 自由练习)."""

    async def picker(pilot: Pilot[object]) -> None:
        await sign_in(pilot)

    assert snap_compare(demo_app(), terminal_size=size, run_before=picker)


def test_task_bar_snapshot(
    snap_compare: Callable[..., bool], demo_app: Callable[..., CounterApp], no_seat: None
) -> None:
    """F3 during 叫号与过号, task 2 after one caught mistake: the queue as always, and one line
    above the key line: 练习 2/2 · 申请人未到：过号 · Ctrl+R 说明/提示 · 得分 90."""

    async def running(pilot: Pilot[object]) -> None:
        await sign_in(pilot)
        await start(pilot)
        await pilot.press("f3", "n")
        await observe(pilot)
        await pilot.press("s")
        await observe(pilot)
        await pilot.press("f3")
        await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=running)
